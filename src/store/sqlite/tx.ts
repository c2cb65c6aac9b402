import { statusAfterLostAttempt } from "../../domain/task-rules.js";
import type { AgentKind, Task } from "../../domain/types.js";
import { BatonError } from "../../errors.js";
import type { Connection } from "./connection.js";
import { type AgentRow, TASK_COLUMNS, type TaskRow, toTask } from "./rows.js";

/** What an operation sees inside its transaction. */
export interface Tx {
  conn: Connection;
  /** The time of the whole operation: one clock read per transaction. */
  now: number;
  actor: string;
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

/** How stale `last_seen_at` may get before an action refreshes it: saves a page write per busy operation. */
const SEEN_PRECISION_MS = 1000;

/**
 * Registers the acting agent on first sight (kind `custom`, so a plain shell
 * agent needs no setup) and records that it was seen.
 */
export function touchActor(tx: Tx, kind: AgentKind = "custom"): AgentRow {
  const row = tx.conn.get<AgentRow>(`SELECT * FROM agents WHERE name = ?`, tx.actor);
  if (!row) {
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
export function sweepExpiredClaims(tx: Tx): { id: string; holder: string }[] {
  const due = tx.conn.all<TaskRow>(
    `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.status = 'claimed' AND t.claim_expires_at <= ?`,
    tx.now,
  );
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
    appendEvent(tx, {
      actor: "guardian",
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
    appendEvent(tx, {
      actor: "guardian",
      type: "lease.expired",
      subject: lease.path,
      summary: `${lease.holder}'s lease on ${lease.path} expired`,
      data: {
        before: { holder: lease.holder, token: lease.token, expiresAt: lease.expires_at },
        after: null,
      },
    });
  }
  return due;
}

export function hasExpiredWork(conn: Connection, now: number): boolean {
  return (
    conn.get(`SELECT 1 FROM tasks WHERE status = 'claimed' AND claim_expires_at <= ? LIMIT 1`, now) !==
      undefined || conn.get(`SELECT 1 FROM leases WHERE expires_at <= ? LIMIT 1`, now) !== undefined
  );
}
