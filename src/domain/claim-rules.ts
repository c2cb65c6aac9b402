import { BatonError } from "../errors.js";
import { formatDuration } from "../util/duration.js";
import { blockedError } from "./blocked-tasks.js";
import type { Task } from "./types.js";

/**
 * Handler-only queues this role may not take from. The one place that decides
 * it, for the claim and for the list of ready tasks alike, so `list --ready`
 * never shows a task that a claim would then refuse.
 */
export function closedQueues(handlerOnly: Record<string, string> | undefined, role: string | null): string[] {
  return Object.entries(handlerOnly ?? {})
    .filter(([, handler]) => handler !== role)
    .map(([queue]) => queue);
}

/** Claiming by id from a handler-only queue of another role. */
export function assertQueueOpen(
  task: Task,
  actor: string,
  role: string | null,
  handlerOnly: Record<string, string> | undefined,
): void {
  if (!closedQueues(handlerOnly, role).includes(task.queue)) return;
  const handler = handlerOnly![task.queue];
  throw new BatonError(
    "forbidden",
    `${task.id} is in ${task.queue}, which only agents with the role ${handler} may claim (${actor}'s role: ${role ?? "none"})`,
    {
      cli: `leave it to a ${handler}, or take another task (baton task claim picks one you may take)`,
      tool: `leave it to a ${handler}, or take another task (claim_task without task_id picks one you may take)`,
    },
    { id: task.id, queue: task.queue, handler },
  );
}

/**
 * Reserving a task for an agent that could never claim it (its queue is
 * handler-only and the agent's role is another) would leave it open forever.
 * An agent that has not joined yet (`role` undefined) is given the benefit of
 * the doubt: it may join with the right role.
 */
export function assertAssignable(
  task: Pick<Task, "id" | "queue">,
  assignee: string,
  role: string | null | undefined,
  handlerOnly: Record<string, string> | undefined,
): void {
  if (role === undefined || !closedQueues(handlerOnly, role).includes(task.queue)) return;
  const handler = handlerOnly![task.queue];
  throw new BatonError(
    "forbidden",
    `${task.id} is in ${task.queue}, which only agents with the role ${handler} may claim; ${assignee}'s role is ${role ?? "none"}, so ${assignee} could never start it`,
    {
      cli: `reserve it for a ${handler}, or give ${assignee} that role first (baton agent join ${assignee} --role ${handler})`,
      tool: `reserve it for an agent with the role ${handler}`,
    },
    { id: task.id, queue: task.queue, handler, assignee, role },
  );
}

/**
 * Whether `actor` may claim `task` now, decided without I/O so every backend
 * gives the same answer and the same words: the SQL or Lua side only reads the
 * task and its unfinished dependencies, then writes the grant.
 */
export function assertClaimable(
  task: Task,
  actor: string,
  waiting: { id: string; status: string }[],
  now: number,
): void {
  if (task.status === "claimed") {
    throw new BatonError(
      "conflict",
      `${task.id} is claimed by ${task.holder} (claim expires in ${formatDuration(task.claimExpiresAt! - now)})`,
      {
        cli: "take another task (baton task claim picks the next ready one) or ask its holder",
        tool: `take another task (claim_task without task_id picks the next ready one), or ask ${task.holder} with send_message`,
      },
      { id: task.id, holder: task.holder, expiresAt: task.claimExpiresAt },
    );
  }
  if (task.status !== "open") {
    throw new BatonError("invalid_state", `${task.id} is ${task.status}`, "only open tasks can be claimed", {
      id: task.id,
      status: task.status,
    });
  }
  if (task.assignee && task.assignee !== actor) {
    throw new BatonError(
      "conflict",
      `${task.id} is assigned to ${task.assignee}`,
      {
        cli: `ask for it to be reassigned (baton task assign ${task.id} ${actor}) or take another task`,
        tool: `take another task, or ask the human (chat_with_human) to reassign ${task.id} to you`,
      },
      { id: task.id, assignee: task.assignee },
    );
  }
  if (task.blockedBy.length > 0) throw blockedError(task);
  if (waiting.length > 0) {
    throw new BatonError(
      "not_ready",
      `${task.id} waits on ${waiting.map((w) => `${w.id} (${w.status})`).join(", ")}; it becomes ready when ${waiting.length === 1 ? "that is" : "those are"} done`,
      {
        cli: "take one of those first, or run `baton task list --ready` for tasks you can start now",
        tool: "take one of those first, or call list_tasks with ready=true for tasks you can start now",
      },
      { id: task.id, waitingOn: waiting.map((w) => w.id) },
    );
  }
}
