import { BatonError } from "../errors.js";
import { formatDuration } from "../util/duration.js";
import type { Task } from "./types.js";

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
  if (waiting.length > 0) {
    throw new BatonError(
      "not_ready",
      `${task.id} waits on ${waiting.map((w) => `${w.id} (${w.status})`).join(", ")}`,
      {
        cli: "claim one of those first, or run `baton task list --ready` for tasks you can start now",
        tool: "claim one of those first, or call list_tasks with ready=true for tasks you can start now",
      },
      { id: task.id, waitingOn: waiting.map((w) => w.id) },
    );
  }
}
