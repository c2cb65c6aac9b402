import { assertClaimable } from "../../../domain/claim-rules.js";
import type { Task } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import type { ClaimResult, ClaimTaskInput } from "../../port.js";
import { TASK_COLUMNS, type TaskRow, toTask } from "../rows.js";
import { appendEvent, nextToken, requireTask, sweepExpiredClaims, type Tx, touchActor } from "../tx.js";

/** Open, unassigned or assigned to the claimant, every dependency done. */
const READY = `t.status = 'open' AND (t.assignee IS NULL OR t.assignee = @actor)
  AND NOT EXISTS (
    SELECT 1 FROM task_deps d JOIN tasks dt ON dt.id = d.depends_on
    WHERE d.task_id = t.id AND dt.status <> 'done')`;

interface ReadyQuery {
  queue?: string;
  tags?: string[];
  /** Queues the claimant may not take from (handler-only queues of another role). */
  excludeQueues?: string[];
}

export function readyFilter(input: ReadyQuery): string {
  let sql = READY;
  if (input.queue) sql += ` AND t.queue = @queue`;
  (input.excludeQueues ?? []).forEach((_, i) => {
    sql += ` AND t.queue <> @excluded${i}`;
  });
  (input.tags ?? []).forEach((_, i) => {
    sql += ` AND EXISTS (SELECT 1 FROM json_each(t.tags) WHERE json_each.value = @tag${i})`;
  });
  return sql;
}

export function readyParams(actor: string, input: ReadyQuery): Record<string, unknown> {
  const params: Record<string, unknown> = { actor };
  if (input.queue) params.queue = input.queue;
  (input.tags ?? []).forEach((tag, i) => {
    params[`tag${i}`] = tag;
  });
  (input.excludeQueues ?? []).forEach((queue, i) => {
    params[`excluded${i}`] = queue;
  });
  return params;
}

function checkClaimable(tx: Tx, task: Task): void {
  const waiting = tx.conn.all<{ id: string; status: string }>(
    `SELECT dt.id, dt.status FROM task_deps d JOIN tasks dt ON dt.id = d.depends_on
     WHERE d.task_id = ? AND dt.status <> 'done'`,
    task.id,
  );
  assertClaimable(task, tx.actor, waiting, tx.now);
}

/** Handler-only queues this actor's role does not handle. */
function closedQueues(handlerOnly: Record<string, string> | undefined, role: string | null): string[] {
  return Object.entries(handlerOnly ?? {})
    .filter(([, handler]) => handler !== role)
    .map(([queue]) => queue);
}

/**
 * The atomic claim: inside one write transaction, pick (or check) the task and
 * turn it into a lease held by the actor with a fresh fencing token. Claiming a
 * task the actor already holds renews it and keeps its token (idempotent).
 */
export function claimTask(tx: Tx, input: ClaimTaskInput): ClaimResult {
  const { role } = touchActor(tx);
  sweepExpiredClaims(tx);
  const closed = closedQueues(input.handlerOnly, role);
  let task: Task | undefined;
  if (input.id) {
    task = requireTask(tx, input.id);
    if (closed.includes(task.queue)) {
      const handler = input.handlerOnly![task.queue];
      throw new BatonError(
        "forbidden",
        `${task.id} is in ${task.queue}, which only agents with the role ${handler} may claim (${tx.actor}'s role: ${role ?? "none"})`,
        {
          cli: `leave it to a ${handler}, or take another task (baton task claim picks one you may take)`,
          tool: `leave it to a ${handler}, or take another task (claim_task without task_id picks one you may take)`,
        },
        { id: task.id, queue: task.queue, handler },
      );
    }
    if (task.status === "claimed" && task.holder === tx.actor) {
      const expiresAt = tx.now + input.ttlMs;
      tx.conn.run(
        `UPDATE tasks SET claim_expires_at = ?, claim_ttl_ms = ? WHERE id = ?`,
        expiresAt,
        input.ttlMs,
        task.id,
      );
      return { task: { ...task, claimExpiresAt: expiresAt }, token: task.token, renewed: true };
    }
    checkClaimable(tx, task);
  } else {
    const row = tx.conn
      .statement(
        `SELECT ${TASK_COLUMNS} FROM tasks t WHERE ${readyFilter({ ...input, excludeQueues: closed })} ORDER BY t.priority, t.seq LIMIT 1`,
      )
      .get(readyParams(tx.actor, { ...input, excludeQueues: closed })) as TaskRow | undefined;
    if (!row) return { task: null, token: null };
    task = toTask(row);
  }
  const token = nextToken(tx);
  const expiresAt = tx.now + input.ttlMs;
  tx.conn.run(
    `UPDATE tasks SET status = 'claimed', holder = ?, token = ?, claim_expires_at = ?, claim_ttl_ms = ?, updated_at = ?
     WHERE id = ?`,
    tx.actor,
    token,
    expiresAt,
    input.ttlMs,
    tx.now,
    task.id,
  );
  appendEvent(tx, {
    seq: token,
    type: "task.claimed",
    subject: task.id,
    summary: `${tx.actor} claimed ${task.id}: ${task.title}`,
    data: { before: { status: "open" }, after: { status: "claimed", holder: tx.actor, token, expiresAt } },
  });
  return {
    task: {
      ...task,
      status: "claimed",
      holder: tx.actor,
      token,
      claimExpiresAt: expiresAt,
      updatedAt: tx.now,
    },
    token,
  };
}
