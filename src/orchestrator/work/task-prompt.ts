import type { Task } from "../../domain/types.js";

/** What a headless agent is told for one task: the task itself, and how to report through baton. */
export function taskPrompt(task: Task, agent: string): string {
  return [
    `You are ${agent}, working headless for baton on task ${task.id}: ${task.title}`,
    task.body ? `\n${task.body}\n` : "",
    `The task is claimed for you and kept alive while you run. Lock files before you edit them`,
    `(baton lock PATH), commit your work, and end when the task is done: exit 0 and baton completes it`,
    `with your last message as its result; exit non-zero and it is failed with your output's tail.`,
  ].join("\n");
}

/** What an agent resumed in its own session after a cost cap is told: it has the task already. */
export function continuePrompt(task: Task): string {
  return `A human let you go on after a cost cap paused you. Carry on with task ${task.id} where you stopped, and end as before.`;
}
