import { lostClaimError } from "../../../domain/lost-holds.js";
import type { TaskReport } from "../../../domain/task-report.js";
import { isFinal, statusAfterLostAttempt } from "../../../domain/task-rules.js";
import type { BatonEvent, Task } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import type { FinishTaskInput } from "../../port.js";
import { expireWaitingFor } from "../expire-waiting.js";
import { type EventRow, toEvent } from "../rows.js";
import { appendEvent, blockDependents, requireTask, sweepExpiredClaims, type Tx, touchActor } from "../tx.js";
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
  throw lostClaimError(
    task,
    { verb, actor: tx.actor, token: input.token },
    callersClaim(tx, task.id, input.token),
    tx.now,
  );
}

/**
 * The caller's claim on a task, from the log: the grant with this token, or
 * the caller's latest grant; and the event that ended it (every event that
 * ends a claim records its token in `before`), to say what happened to it.
 */
function callersClaim(
  tx: Tx,
  id: string,
  token: number | undefined,
): { token: number; endedBy: BatonEvent | null } | null {
  const granted =
    token !== undefined
      ? tx.conn.get<{ seq: number }>(
          `SELECT seq FROM events WHERE seq = ? AND subject = ? AND type = 'task.claimed'`,
          token,
          id,
        )
      : tx.conn.get<{ seq: number }>(
          `SELECT seq FROM events WHERE subject = ? AND type = 'task.claimed'
             AND json_extract(data, '$.after.holder') = ? ORDER BY seq DESC LIMIT 1`,
          id,
          tx.actor,
        );
  if (!granted) return null;
  const ended = tx.conn.get<EventRow>(
    `SELECT * FROM events WHERE subject = ? AND seq > ? AND json_extract(data, '$.before.token') = ?
     ORDER BY seq LIMIT 1`,
    id,
    granted.seq,
    granted.seq,
  );
  return { token: granted.seq, endedBy: ended ? toEvent(ended) : null };
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
  expireWaitingFor(tx, { task: task.id }, `${task.id} is done`);
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
  if (status === "failed") {
    blockDependents(tx, { ...task, status }, input.reason);
    expireWaitingFor(tx, { task: task.id }, `${task.id} failed: ${input.reason}`);
  }
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
