import { blockedNotice, blockedSummary } from "../../domain/blocked-tasks.js";
import { APPROVALS_TOPIC, approvalTopic } from "../../domain/human-rules.js";
import { statusAfterLostAttempt } from "../../domain/task-rules.js";
import type { AgentKind, LostHold, Task } from "../../domain/types.js";
import { BatonError } from "../../errors.js";
import { refuseConfusableName } from "./agent-lookup.js";
import type { Connection } from "./connection.js";
import { expireWaitingFor } from "./expire-waiting.js";
import { messageHumans } from "./human-notice.js";
import { type AgentRow, TASK_COLUMNS, type TaskRow, toTask } from "./rows.js";
import { openDependents } from "./task-graph.js";

/** What an operation sees inside its transaction. */
export interface Tx {
  conn: Connection;
  /** The time of the whole operation: one clock read per transaction. */
  now: number;
  actor: string;
  /** Wake-up topics this change touches (an inbox, a question); notified once it is committed. */
  wake: Set<string>;
}

export interface NewEvent {
  type: string;
  subject: string | null;
  summary: string;
  data?: Record<string, unknown>;
  actor?: string;
  /** The seq reserved by `nextToken` for the event that records a grant. */
  seq?: number;
}

/** Appends one event in the caller's transaction and returns its seq. */
export function appendEvent(tx: Tx, event: NewEvent): number {
  const { lastInsertRowid } = tx.conn.run(
    `INSERT INTO events (seq, at, actor, type, subject, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    event.seq ?? null,
    tx.now,
    event.actor ?? tx.actor,
    event.type,
    event.subject,
    event.summary,
    JSON.stringify(event.data ?? {}),
  );
  return Number(lastInsertRowid);
}

/**
 * The fencing token of a grant is the seq of the event that records it: the log
 * only grows, so for any one resource tokens only grow (promise 1), token N can
 * be looked up as event #N, and no counter row is written. The caller must pass
 * the token as `seq` to the grant's appendEvent; inserting another event first
 * makes that insert fail loudly instead of reusing a token.
 */
export function nextToken(tx: Tx): number {
  return tx.conn.get<{ next: number }>(`SELECT coalesce(max(seq), 0) + 1 AS next FROM events`)!.next;
}

/** The actor recorded for what baton does by itself: expiries, found by whichever process looked first. */
export const GUARDIAN = "guardian";

/** How stale `last_seen_at` may get before an action refreshes it: saves a page write per busy operation. */
const SEEN_PRECISION_MS = 1000;

/**
 * Registers the acting agent on first sight (kind `custom`, so a plain shell
 * agent needs no setup) and records that it was seen. A first sight that is
 * the case twin of a known name is refused, and so is one that looks like a
 * slip for a known name, unless the agent joins on purpose (`explicit`):
 * a typo in `--as` or BATON_AGENT must not start a phantom agent.
 */
export function touchActor(
  tx: Tx,
  kind: AgentKind = "custom",
  options: { explicit?: boolean } = {},
): AgentRow {
  const row = tx.conn.get<AgentRow>(`SELECT * FROM agents WHERE name = ?`, tx.actor);
  if (!row) {
    refuseConfusableName(tx, options.explicit === true);
    const created = tx.conn.get<AgentRow>(
      `INSERT INTO agents (name, role, kind, joined_at, last_seen_at) VALUES (?, NULL, ?, ?, ?) RETURNING *`,
      tx.actor,
      kind,
      tx.now,
      tx.now,
    )!;
    appendEvent(tx, {
      type: "agent.joined",
      subject: tx.actor,
      summary: `${tx.actor} joined (${kind})`,
      data: { after: { kind, role: null } },
    });
    return created;
  }
  if (row.left_at !== null) {
    appendEvent(tx, { type: "agent.returned", subject: tx.actor, summary: `${tx.actor} is back`, data: {} });
  } else if (tx.now - row.last_seen_at < SEEN_PRECISION_MS) {
    return row;
  }
  tx.conn.run(`UPDATE agents SET last_seen_at = ?, left_at = NULL WHERE name = ?`, tx.now, tx.actor);
  return { ...row, last_seen_at: tx.now, left_at: null };
}

/**
 * Records that `agent` lost a claim or lease it did not give up itself, for
 * its next heartbeat to report (once). Called in the transaction that took
 * it, by whichever process that was.
 */
export function recordLoss(tx: Tx, agent: string, loss: Omit<LostHold, "at" | "by"> & { by?: string }): void {
  tx.conn.run(
    `INSERT INTO lost_holds (agent, event, kind, subject, token, reason, by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    agent,
    loss.event,
    loss.kind,
    loss.subject,
    loss.token,
    loss.reason,
    loss.by ?? tx.actor,
    tx.now,
  );
}

/**
 * A task just added or given a dependency may wait on a task that is itself
 * blocked: it is blocked from now on, and the log says so (the humans were
 * told about the cause when it ended).
 */
export function announceIfBlocked(tx: Tx, task: Task): void {
  for (const cause of task.blockedBy) {
    const via = task.dependsOn.includes(cause.id)
      ? cause.id
      : (task.dependsOn.find((dep) => findTask(tx, dep)?.blockedBy.some((b) => b.id === cause.id)) ??
        cause.id);
    appendEvent(tx, {
      type: "task.blocked",
      subject: task.id,
      summary: blockedSummary(task.id, cause, via),
      data: { after: { blockedBy: cause, via } },
    });
  }
}

/**
 * A task ended without success: every open task that waits on it, directly or
 * through other open tasks, can now never start by itself. One event per such
 * task, and one notice to the humans, who decide (see domain/blocked-tasks.ts).
 */
export function blockDependents(
  tx: Tx,
  cause: Pick<Task, "id" | "title" | "status">,
  reason: string | null,
  actor?: string,
): void {
  const blocked = openDependents(tx.conn, cause.id);
  if (blocked.length === 0) return;
  for (const task of blocked) {
    appendEvent(tx, {
      actor,
      type: "task.blocked",
      subject: task.id,
      summary: blockedSummary(task.id, cause, task.via),
      data: { after: { blockedBy: { id: cause.id, status: cause.status }, via: task.via } },
    });
  }
  messageHumans(tx, blockedNotice({ ...cause, reason }, blocked), actor ?? tx.actor);
}

export function findTask(tx: Tx, id: string): Task | undefined {
  const row = tx.conn.get<TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = ?`, id);
  return row ? toTask(row) : undefined;
}

export function requireTask(tx: Tx, id: string): Task {
  const task = findTask(tx, id);
  if (!task) {
    throw new BatonError(
      "not_found",
      `no task ${id}`,
      {
        cli: "list tasks with `baton task list --status all`",
        tool: 'list tasks with list_tasks (status ["all"]) to find the id',
      },
      {
        id,
      },
    );
  }
  return task;
}

/**
 * Expires claims whose holder stopped renewing them. The task goes back to the
 * queue with the attempt counted, or is marked dead once its attempts are spent.
 * Called at the start of every operation that reads or changes tasks.
 */
/**
 * Claims past their expiry, oldest task first. Every write runs it, so it must
 * use the expiry index: `+t.seq` orders after the search, not by it. A plain
 * `ORDER BY t.seq` made SQLite walk every task in seq order instead (measured:
 * 12,000 → 800 claims/s at 32,000 tasks; src/store/sqlite/query-plans.test.ts
 * keeps it so).
 */
export const EXPIRED_CLAIMS = `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.status = 'claimed' AND t.claim_expires_at <= ? ORDER BY +t.seq`;

export function sweepExpiredClaims(tx: Tx): { id: string; holder: string }[] {
  const due = tx.conn.all<TaskRow>(EXPIRED_CLAIMS, tx.now);
  return due.map((row) => {
    const attempts = row.attempts + 1;
    const status = statusAfterLostAttempt(attempts, row.max_attempts, "dead");
    tx.conn.run(
      `UPDATE tasks SET status = ?, holder = NULL, claim_expires_at = NULL, attempts = ?, updated_at = ? WHERE id = ?`,
      status,
      attempts,
      tx.now,
      row.id,
    );
    const event = appendEvent(tx, {
      actor: GUARDIAN,
      type: status === "dead" ? "task.dead" : "task.expired",
      subject: row.id,
      summary:
        status === "dead"
          ? `${row.id} is dead: ${row.holder}'s claim expired on the last of ${row.max_attempts} attempts`
          : `${row.id} went back to the queue: ${row.holder}'s claim expired (attempt ${attempts} of ${row.max_attempts})`,
      data: {
        before: { status: "claimed", holder: row.holder, token: row.token },
        after: { status, holder: null, attempts },
      },
    });
    recordLoss(tx, row.holder!, {
      event,
      kind: "task",
      subject: row.id,
      token: row.token!,
      reason: status === "dead" ? "dead" : "expired",
      by: GUARDIAN,
    });
    if (status === "dead") {
      blockDependents(tx, { ...row, status }, `${row.holder} went silent on its last attempt`, GUARDIAN);
      expireWaitingFor(tx, { task: row.id }, `${row.id} died: ${row.holder} went silent`, GUARDIAN);
    }
    return { id: row.id, holder: row.holder! };
  });
}

/** Deletes leases whose holder stopped renewing them, one event each. */
export function sweepExpiredLeases(tx: Tx): { path: string; holder: string; token: number }[] {
  const due = tx.conn.all<{ path: string; holder: string; token: number; expires_at: number }>(
    `DELETE FROM leases WHERE expires_at <= ? RETURNING path, holder, token, expires_at`,
    tx.now,
  );
  for (const lease of due) {
    const event = appendEvent(tx, {
      actor: GUARDIAN,
      type: "lease.expired",
      subject: lease.path,
      summary: `${lease.holder}'s lease on ${lease.path} expired`,
      data: {
        before: { holder: lease.holder, token: lease.token, expiresAt: lease.expires_at },
        after: null,
      },
    });
    recordLoss(tx, lease.holder, {
      event,
      kind: "lease",
      subject: lease.path,
      token: lease.token,
      reason: "expired",
      by: GUARDIAN,
    });
  }
  return due;
}

/**
 * Expires pending approvals whose deadline passed: the process that asked
 * (a host's permission hook) waits no longer than that, and one killed before
 * it could withdraw its request would otherwise leave it open, and decidable,
 * for ever. A hostile run killed the hook with -9: its request for
 * `rm -rf /` stayed in "waiting for a human" with nothing behind it.
 */
export function sweepExpiredApprovals(tx: Tx): number[] {
  const due = tx.conn.all<{ seq: number; action: string; requested_by: string }>(
    `UPDATE approvals SET status = 'expired', decided_by = requested_by, decided_at = ?,
       note = 'no decision by its deadline: nothing waits for it any more'
     WHERE status = 'pending' AND expires_at <= ? RETURNING seq, action, requested_by`,
    tx.now,
    tx.now,
  );
  for (const row of due) {
    appendEvent(tx, {
      actor: GUARDIAN,
      type: "approval.expired",
      subject: `A-${row.seq}`,
      summary: `A-${row.seq} expired (${row.action}): no decision by its deadline`,
      data: { before: { status: "pending" }, after: { status: "expired" } },
    });
    tx.wake.add(approvalTopic(row.seq));
    tx.wake.add(APPROVALS_TOPIC);
  }
  return due.map((row) => row.seq);
}

export function hasExpiredWork(conn: Connection, now: number): boolean {
  return (
    conn.get(`SELECT 1 FROM tasks WHERE status = 'claimed' AND claim_expires_at <= ? LIMIT 1`, now) !==
      undefined ||
    conn.get(`SELECT 1 FROM leases WHERE expires_at <= ? LIMIT 1`, now) !== undefined ||
    conn.get(`SELECT 1 FROM approvals WHERE status = 'pending' AND expires_at <= ? LIMIT 1`, now) !==
      undefined
  );
}
