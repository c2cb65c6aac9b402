import { BatonError } from "../errors.js";
import { formatDuration } from "../util/duration.js";
import type { BatonEvent, LostHold, Task } from "./types.js";

/**
 * What a holder is told when a claim or lease was taken from it: what it was,
 * when, by what, and what to do now. The same words at the command line
 * (heartbeat) and for a model (every tool call's notice).
 */

const iso = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);

function how(loss: LostHold): string {
  switch (loss.reason) {
    case "expired":
      return "it expired (no heartbeat within its time to live)";
    case "dead":
      return "it expired on the task's last attempt, so the task is dead";
    case "cancelled":
      return `${loss.by} cancelled the task`;
    case "force_released":
      return `${loss.by} force-released it`;
    case "removed":
      return `${loss.by} removed you from the team`;
  }
}

/** `lost T-3 (token 12) at 2025-01-02 10:03:44: it expired ...; stop work on it ...` */
export function describeLoss(loss: LostHold): string {
  const what = loss.kind === "task" ? `your claim on ${loss.subject}` : `your lease on ${loss.subject}`;
  const next =
    loss.kind === "task"
      ? loss.reason === "expired"
        ? "stop work on it: it went back to the queue, and another agent may hold it now; claim it again only if it is still open"
        : "stop work on it: it will not be done under your claim"
      : "lock it again before editing it: another agent may have changed it since";
  return `lost ${what} (token ${loss.token}) at ${iso(loss.at)}: ${how(loss)}; ${next}`;
}

/**
 * A completion, failure or release by someone whose claim is gone (promise 2).
 * Says what happened to the claim (from the event that ended it, when there
 * is one) and who has the task now, instead of only the tokens.
 */
export function lostClaimError(
  task: Task,
  attempt: { verb: string; actor: string; token: number | undefined },
  claim: { token: number; endedBy: BatonEvent | null } | null,
  now: number,
): BatonError {
  const mine = claim
    ? `your claim (token ${claim.token})`
    : attempt.token !== undefined
      ? `token ${attempt.token} is not a claim on ${task.id}`
      : `${attempt.actor} holds no claim on it`;
  const ended = claim?.endedBy
    ? ` ended ${formatDuration(now - claim.endedBy.at)} ago: ${claim.endedBy.summary}`
    : claim
      ? " is no longer the current claim"
      : "";
  const state =
    task.status === "claimed"
      ? `${task.id} is now held by ${task.holder}${task.holder === attempt.actor ? ` under a newer claim (token ${task.token})` : ""}`
      : `${task.id} is ${task.status}`;
  const hint =
    task.status === "open"
      ? {
          cli: `nothing you did since is recorded; claim it again (baton task claim ${task.id}) and check that nobody changed its files meanwhile, then ${attempt.verb} it`,
          tool: `nothing you did since is recorded; claim it again with claim_task (task_id ${task.id}) and check that nobody changed its files meanwhile, then ${attempt.verb} it`,
        }
      : task.status === "claimed" && task.holder === attempt.actor
        ? {
            cli: `${attempt.verb} it with the current claim: without --token, or with --token ${task.token}`,
            tool: `${attempt.verb} it again without task_id: your session holds the newer claim`,
          }
        : task.status === "claimed"
          ? {
              cli: `stop work on ${task.id}: ${task.holder} holds it now; tell them what you did (baton send ${task.holder} ...)`,
              tool: `stop work on ${task.id}: ${task.holder} holds it now; tell them what you did with send_message`,
            }
          : `stop work on ${task.id}: it is ${task.status} and takes no more changes`;
  return new BatonError("lease_lost", `cannot ${attempt.verb} ${task.id}: ${mine}${ended}; ${state}`, hint, {
    id: task.id,
    status: task.status,
    holder: task.holder,
    token: task.token,
    yourToken: claim?.token ?? attempt.token ?? null,
  });
}
