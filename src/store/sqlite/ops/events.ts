import type { BatonEvent } from "../../../domain/types.js";
import type { AppendEventInput, ListEventsInput, SweepInput, SweepResult } from "../../port.js";
import { type EventRow, toEvent } from "../rows.js";
import {
  appendEvent,
  GUARDIAN,
  sweepExpiredApprovals,
  sweepExpiredClaims,
  sweepExpiredLeases,
  type Tx,
  touchActor,
} from "../tx.js";
import { escalateOverdue } from "./routing.js";

export function appendUserEvent(tx: Tx, input: AppendEventInput): BatonEvent {
  // baton's guardian (the hub's supervisor writes as it) is no agent of the team.
  if (tx.actor !== GUARDIAN) touchActor(tx);
  const seq = appendEvent(tx, {
    type: input.type,
    subject: input.subject ?? null,
    summary: input.summary,
    data: input.data ?? {},
  });
  return toEvent(tx.conn.get<EventRow>(`SELECT * FROM events WHERE seq = ?`, seq)!);
}

export function listEvents(tx: Tx, input: ListEventsInput): BatonEvent[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (input.actor) {
    where.push("actor = ?");
    params.push(input.actor);
  }
  if (input.type) {
    if (input.type.endsWith(".")) {
      where.push("substr(type, 1, ?) = ?");
      params.push(input.type.length, input.type);
    } else {
      where.push("type = ?");
      params.push(input.type);
    }
  }
  if (input.subject) {
    where.push("subject = ?");
    params.push(input.subject);
  }
  if (input.sinceMs !== undefined) {
    where.push("at >= ?");
    params.push(input.sinceMs);
  }
  if (input.afterSeq !== undefined) {
    where.push("seq > ?");
    params.push(input.afterSeq);
  }
  if (input.beforeSeq !== undefined) {
    where.push("seq < ?");
    params.push(input.beforeSeq);
  }
  const filter = where.length ? `WHERE ${where.join(" AND ")}` : "";
  // With a limit, the newest events are kept (or the oldest, for paging); they are always returned oldest first.
  const sql = !input.limit
    ? `SELECT * FROM events ${filter} ORDER BY seq`
    : input.oldest
      ? `SELECT * FROM events ${filter} ORDER BY seq LIMIT ${Math.floor(input.limit)}`
      : `SELECT * FROM (SELECT * FROM events ${filter} ORDER BY seq DESC LIMIT ${Math.floor(input.limit)}) ORDER BY seq`;
  return tx.conn.all<EventRow>(sql, ...params).map(toEvent);
}

/**
 * The guardian's pass: expire due claims, leases and approvals, and report agents that
 * went silent while holding work (once each; their next heartbeat clears it).
 */
export function sweep(tx: Tx, input: SweepInput): SweepResult {
  const expiredTasks = sweepExpiredClaims(tx).map((claim) => claim.id);
  const expiredLeases = sweepExpiredLeases(tx).map((lease) => lease.path);
  sweepExpiredApprovals(tx);
  const hung = tx.conn.all<{ name: string; last_seen_at: number }>(
    `SELECT a.name, a.last_seen_at FROM agents a
     WHERE a.left_at IS NULL AND a.hung_since IS NULL AND a.last_seen_at < ?
       AND (EXISTS (SELECT 1 FROM tasks t WHERE t.status = 'claimed' AND t.holder = a.name)
            OR EXISTS (SELECT 1 FROM leases l WHERE l.holder = a.name))`,
    tx.now - input.hungAfterMs,
  );
  for (const agent of hung) {
    tx.conn.run(`UPDATE agents SET hung_since = ? WHERE name = ?`, tx.now, agent.name);
    appendEvent(tx, {
      type: "agent.hung",
      subject: agent.name,
      summary: `${agent.name} has been silent since ${new Date(agent.last_seen_at).toISOString()} while holding work`,
      data: { before: { lastSeenAt: agent.last_seen_at }, after: { status: "hung" } },
    });
  }
  const overdue = escalateOverdue(tx);
  return {
    expiredTasks,
    expiredLeases,
    hungAgents: hung.map((agent) => agent.name),
    escalatedTasks: overdue,
  };
}
