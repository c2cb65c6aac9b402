import { BatonError } from "../errors.js";
import { isFinal } from "./task-rules.js";
import type { AgentKind, Task } from "./types.js";

/**
 * Who may reopen what. A failed, dead or cancelled task is work nobody finished: anyone may put
 * it back in the queue, as anyone may add a task. A done task is different: it passed its quality
 * gates (and its approved plan, if it needed one), and its dependents may already be built on
 * it. Saying that finished work is not finished is a human's judgement, like an approval; an
 * agent that disagrees escalates or asks instead. A reopened task starts with no attempts
 * counted: a dead task has used them all and would die again at its first expiry otherwise.
 */
export function checkReopen(task: Task, actor: { name: string; kind: AgentKind }): void {
  if (!isFinal(task.status)) {
    throw new BatonError(
      "invalid_state",
      `${task.id} is ${task.status}: only a finished task can be reopened`,
      task.status === "claimed"
        ? `${task.holder} holds it; its claim ends with done, fail or release`
        : "it is already in the queue",
      { id: task.id, status: task.status },
    );
  }
  if (task.status === "done" && actor.kind !== "human") {
    throw new BatonError(
      "forbidden",
      `${actor.name} is a ${actor.kind} agent; only a human may reopen ${task.id}, which is done`,
      {
        cli: `add a task for the further work, or ask the human: baton task escalate ${task.id} --reason "..."`,
        tool: "add a task for the further work (create_task), or ask the human (chat_with_human)",
      },
      { id: task.id, status: task.status, actor: actor.name, kind: actor.kind },
    );
  }
}

/** An edit that would change nothing is a mistake in the command, not a no-op to log. */
export function checkEditHasChanges(input: {
  title?: string;
  body?: string;
  priority?: number;
  addTags?: string[];
  removeTags?: string[];
}): void {
  const given =
    input.title !== undefined ||
    input.body !== undefined ||
    input.priority !== undefined ||
    (input.addTags?.length ?? 0) > 0 ||
    (input.removeTags?.length ?? 0) > 0;
  if (!given) {
    throw new BatonError("usage", "nothing to change", {
      cli: "say what changes: --title, --body, --priority, --tag or --untag (e.g. baton task edit T-3 --priority 0)",
      tool: "give at least one of title, body, priority, add_tags, remove_tags",
    });
  }
}

/** The tags after an edit: removals first, then additions, in the order given; no duplicates. */
export function editedTags(
  current: readonly string[],
  add: readonly string[],
  remove: readonly string[],
): string[] {
  const kept = current.filter((tag) => !remove.includes(tag));
  return [...new Set([...kept, ...add])];
}
