import { BatonError } from "../errors.js";
import { type Task, type TaskStatus, UNSUCCESSFUL_STATUSES } from "./types.js";

/**
 * The rule for a task whose dependency ended without success (failed,
 * cancelled, dead): it is *blocked*. It is not ready and cannot be claimed,
 * `blockedBy` names the cause, and the humans are told, because only they can
 * decide: remove the dependency, reopen it, or cancel the task. baton does not
 * cancel it for them: a dependency often fails for a reason a person can fix,
 * and a cascade of cancellations would throw the plan away with it.
 *
 * Blocked is derived from the graph on every read, never stored, so whatever
 * makes the dependency good again (it is reopened and done, or the edge is
 * removed) makes the task ready again with no write of its own.
 */

const ENDED: Record<string, string> = { failed: "failed", cancelled: "was cancelled", dead: "is dead" };

function ended(status: TaskStatus): string {
  return ENDED[status] ?? status;
}

/** `T-1 was cancelled` or `T-1 failed`. */
export function causeText(cause: { id: string; status: TaskStatus }): string {
  return `${cause.id} ${ended(cause.status)}`;
}

/** The event summary for one newly blocked task; `via` is its own dependency that leads to the cause. */
export function blockedSummary(id: string, cause: { id: string; status: TaskStatus }, via: string): string {
  return via === cause.id
    ? `${id} is blocked: it waits on ${cause.id}, which ${ended(cause.status)}`
    : `${id} is blocked: it waits on ${via}, which waits on ${cause.id}, which ${ended(cause.status)}`;
}

/** The one notice the humans get when a task's end leaves others waiting forever. */
export function blockedNotice(
  cause: { id: string; title: string; status: TaskStatus; reason: string | null },
  blocked: { id: string; title: string }[],
): string {
  return [
    `Blocked: ${cause.id} "${cause.title}" ${ended(cause.status)}${cause.reason ? ` (${cause.reason})` : ""}, and ${blocked.length === 1 ? "this task waits" : `these ${blocked.length} tasks wait`} on it:`,
    ...blocked.map((task) => `  ${task.id} "${task.title}"`),
    `None of them can start until a human decides, for each: remove the dependency that leads to ${cause.id}, reopen ${cause.id}, or cancel the task.`,
  ].join("\n");
}

/** The dependency a human would remove to unblock `task`: one of its own that ended badly, if any. */
export function directCause(task: Pick<Task, "blockedBy" | "dependsOn">): string | undefined {
  return task.blockedBy.find((cause) => task.dependsOn.includes(cause.id))?.id;
}

/** Claiming a blocked task: not a wait, a decision nobody has taken yet. */
export function blockedError(task: Pick<Task, "id" | "blockedBy" | "dependsOn">): BatonError {
  return new BatonError(
    "not_ready",
    `${task.id} is blocked: it waits on ${task.blockedBy
      .map(
        (c) =>
          `${c.id}${task.dependsOn.includes(c.id) ? "" : " (through another task)"}, which ${ended(c.status)}`,
      )
      .join(
        ", and on ",
      )}; it cannot start until a human removes the dependency, reopens ${task.blockedBy.map((c) => c.id).join(" or ")}, or cancels ${task.id}`,
    {
      cli: `take another task (baton task claim picks one you can start); a human decides: ${directCause(task) ? `baton task dep rm ${task.id} ${directCause(task)}` : `baton task show ${task.id} shows the dependency to remove`}, or baton task cancel ${task.id}`,
      tool: "take another task (claim_task without task_id picks one you can start); the humans have been told it is blocked",
    },
    { id: task.id, blockedBy: task.blockedBy },
  );
}

/** A new dependency on a task that already ended without success would block the task from the start. */
export function assertUsableDependency(id: string | null, dependency: Pick<Task, "id" | "status">): void {
  if (!UNSUCCESSFUL_STATUSES.includes(dependency.status)) return;
  throw new BatonError(
    "invalid_state",
    `${id ?? "the task"} cannot wait on ${dependency.id}: ${causeText(dependency)}, so it would be blocked from the start`,
    `leave ${dependency.id} out; if its work is still needed, reopen it or add a new task for that work, and wait on that`,
    { id, dependsOn: dependency.id, status: dependency.status },
  );
}
