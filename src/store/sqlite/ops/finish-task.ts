import type { TaskReport } from "../../../domain/task-report.js";
import { isFinal, statusAfterLostAttempt } from "../../../domain/task-rules.js";
import type { Task } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import type { FinishTaskInput } from "../../port.js";
import { appendEvent, requireTask, sweepExpiredClaims, type Tx, touchActor } from "../tx.js";
import { requireApprovedPlan } from "./human.js";

/**
 * The fence every completion, failure and release passes: with a token, it must
 * be the current claim's; without one, the actor must hold the claim. A caller
 * whose claim was lost (expired, released, taken by another) changes nothing.
 */
function requireHeldClaim(tx: Tx, input: FinishTaskInput, verb: string): Task {
  touchActor(tx);
  sweepExpiredClaims(tx);
  const task = requireTask(tx, input.id);
  const held =
    task.status === "claimed" &&
    (input.token !== undefined ? task.token === input.token : task.holder === tx.actor);
  if (held) return task;
  const now =
    task.status === "claimed"
      ? `it is now claimed by ${task.holder} with token ${task.token}`
      : `it is ${task.status}${task.holder ? ` (held by ${task.holder})` : ""}`;
  const yours =
    input.token !== undefined
      ? `token ${input.token} is not the current claim`
      : `${tx.actor} does not hold it`;
  throw new BatonError(
    "lease_lost",
    `cannot ${verb} ${task.id}: ${yours}; ${now}`,
    task.status === "open"
      ? {
          cli: `your claim ended (expired or released); claim it again with \`baton task claim ${task.id}\` before continuing`,
          tool: `your claim ended (expired or released); claim it again with claim_task (task_id ${task.id}) before continuing`,
        }
      : "stop work on this task: someone else holds it now, or it is finished",
    { id: task.id, status: task.status, holder: task.holder, token: task.token },
  );
}

export function completeTask(
  tx: Tx,
  input: FinishTaskInput & { result?: string | null; report?: TaskReport | null },
): Task {
  const task = requireHeldClaim(tx, input, "complete");
  if (task.planRequired) requireApprovedPlan(tx, task.id);
  const report = input.report ?? null;
  // Without --result, the report's summary is the result people see in lists.
  const result = input.result ?? report?.summary ?? null;
  tx.conn.run(
    `UPDATE tasks SET status = 'done', holder = NULL, claim_expires_at = NULL, result = ?, report = ?, updated_at = ?
     WHERE id = ?`,
    result,
    report === null ? null : JSON.stringify(report),
    tx.now,
    task.id,
  );
  appendEvent(tx, {
    type: "task.completed",
    subject: task.id,
    summary: `${tx.actor} completed ${task.id}${result ? `: ${result}` : ""}`,
    data: {
      before: { status: "claimed", holder: task.holder, token: task.token },
      after: {
        status: "done",
        result,
        report: report ? { findings: report.findings.length, errors: report.errors.length } : null,
      },
    },
  });
  return { ...task, status: "done", holder: null, claimExpiresAt: null, result, report, updatedAt: tx.now };
}

export function failTask(tx: Tx, input: FinishTaskInput & { reason: string }): Task {
  const task = requireHeldClaim(tx, input, "fail");
  const attempts = task.attempts + 1;
  const status = statusAfterLostAttempt(attempts, task.maxAttempts, "failed");
  tx.conn.run(
    `UPDATE tasks SET status = ?, holder = NULL, claim_expires_at = NULL, attempts = ?, result = ?, updated_at = ?
     WHERE id = ?`,
    status,
    attempts,
    input.reason,
    tx.now,
    task.id,
  );
  appendEvent(tx, {
    type: "task.failed",
    subject: task.id,
    summary:
      status === "failed"
        ? `${tx.actor} failed ${task.id} on the last of ${task.maxAttempts} attempts: ${input.reason}`
        : `${tx.actor} failed ${task.id} (attempt ${attempts} of ${task.maxAttempts}), back to the queue: ${input.reason}`,
    data: {
      before: { status: "claimed", holder: task.holder, token: task.token },
      after: { status, attempts, reason: input.reason },
    },
  });
  return {
    ...task,
    status,
    holder: null,
    claimExpiresAt: null,
    attempts,
    result: input.reason,
    updatedAt: tx.now,
  };
}

export function releaseTask(tx: Tx, input: FinishTaskInput): Task {
  const task = requireHeldClaim(tx, input, "release");
  tx.conn.run(
    `UPDATE tasks SET status = 'open', holder = NULL, claim_expires_at = NULL, updated_at = ? WHERE id = ?`,
    tx.now,
    task.id,
  );
  appendEvent(tx, {
    type: "task.released",
    subject: task.id,
    summary: `${tx.actor} released ${task.id} back to the queue`,
    data: {
      before: { status: "claimed", holder: task.holder, token: task.token },
      after: { status: "open" },
    },
  });
  return { ...task, status: "open", holder: null, claimExpiresAt: null, updatedAt: tx.now };
}

export function ensureNotFinal(task: Task, verb: string): void {
  if (isFinal(task.status)) {
    throw new BatonError(
      "invalid_state",
      `cannot ${verb} ${task.id}: it is ${task.status}`,
      {
        cli: `reopen it first (baton task reopen ${task.id}), or add a new task for further work`,
        tool: "add a new task for further work",
      },
      {
        id: task.id,
        status: task.status,
      },
    );
  }
}
