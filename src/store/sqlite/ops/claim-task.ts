import { assertClaimable, assertQueueOpen, closedQueues } from "../../../domain/claim-rules.js";
import type { Task } from "../../../domain/types.js";
import type { ClaimResult, ClaimTaskInput } from "../../port.js";
import { TASK_COLUMNS, type TaskRow, toTask } from "../rows.js";
import { appendEvent, nextToken, requireTask, sweepExpiredClaims, type Tx, touchActor } from "../tx.js";

/** Open, unassigned or assigned to the claimant, every dependency done (so never a blocked task). */
const READY = `t.status = 'open' AND (t.assignee IS NULL OR t.assignee = @actor)
  AND NOT EXISTS (
    SELECT 1 FROM task_deps d JOIN tasks dt ON dt.id = d.depends_on
    WHERE d.task_id = t.id AND dt.status <> 'done')`;

export interface ReadyQuery {
  queue?: string;
  tags?: string[];
  /** Queues whose tasks only agents of one role may claim: queue name → handler role. */
  handlerOnly?: Record<string, string>;
}

/**
 * What `actor` could claim now, as a WHERE clause and its parameters: the one
 * predicate behind both the claim of the next task and the list of ready
 * tasks, so the list shows exactly what a claim would give. An actor that has
 * not joined has no role, so handler-only queues are closed to it.
 */
export function readyScope(
  actor: string,
  role: string | null,
  input: ReadyQuery,
): { where: string; params: Record<string, unknown> } {
  const excluded = closedQueues(input.handlerOnly, role);
  let where = READY;
  const params: Record<string, unknown> = { actor };
  if (input.queue) {
    where += ` AND t.queue = @queue`;
    params.queue = input.queue;
  }
  excluded.forEach((queue, i) => {
    where += ` AND t.queue <> @excluded${i}`;
    params[`excluded${i}`] = queue;
  });
  (input.tags ?? []).forEach((tag, i) => {
    where += ` AND EXISTS (SELECT 1 FROM json_each(t.tags) WHERE json_each.value = @tag${i})`;
    params[`tag${i}`] = tag;
  });
  return { where, params };
}

function checkClaimable(tx: Tx, task: Task): void {
  const waiting = tx.conn.all<{ id: string; status: string }>(
    `SELECT dt.id, dt.status FROM task_deps d JOIN tasks dt ON dt.id = d.depends_on
     WHERE d.task_id = ? AND dt.status <> 'done'`,
    task.id,
  );
  assertClaimable(task, tx.actor, waiting, tx.now);
}

/**
 * The atomic claim: inside one write transaction, pick (or check) the task and
 * turn it into a lease held by the actor with a fresh fencing token. Claiming a
 * task the actor already holds renews it and keeps its token (idempotent).
 */
export function claimTask(tx: Tx, input: ClaimTaskInput): ClaimResult {
  const { role } = touchActor(tx);
  sweepExpiredClaims(tx);
  let task: Task | undefined;
  if (input.id) {
    task = requireTask(tx, input.id);
    assertQueueOpen(task, tx.actor, role, input.handlerOnly);
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
    const { where, params } = readyScope(tx.actor, role, input);
    const row = tx.conn
      .statement(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE ${where} ORDER BY t.priority, t.seq LIMIT 1`)
      .get(params) as TaskRow | undefined;
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
