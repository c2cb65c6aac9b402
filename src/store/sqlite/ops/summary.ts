import type { SummaryRound } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import type { Mutation } from "../../port.js";
import { deliver } from "../deliveries.js";
import { appendEvent, type Tx, touchActor } from "../tx.js";

interface RoundRow {
  day: string;
  opened_by: string;
  opened_at: number;
  collected_at: number | null;
  report: string | null;
}

export function getSummaryRound(tx: Tx, day: string): SummaryRound | null {
  const row = tx.conn.get<RoundRow>(`SELECT * FROM summary_rounds WHERE day = ?`, day);
  if (!row) return null;
  const entries = tx.conn.all<{ agent: string; at: number; text: string }>(
    `SELECT agent, at, text FROM summary_entries WHERE day = ? ORDER BY agent`,
    day,
  );
  return {
    day,
    openedBy: row.opened_by,
    openedAt: row.opened_at,
    collectedAt: row.collected_at,
    report: row.report,
    entries,
  };
}

function requireRound(tx: Tx, day: string): SummaryRound {
  const round = getSummaryRound(tx, day);
  if (!round) {
    throw new BatonError(
      "invalid_state",
      `no summary round is open for ${day}`,
      "open it first: baton summary trigger",
    );
  }
  return round;
}

/** Opens the round and asks every other agent, in its inbox, for its entry. Idempotent. */
export function openSummaryRound(
  tx: Tx,
  input: Mutation & { day: string },
): { round: SummaryRound; created: boolean } {
  touchActor(tx);
  const existing = getSummaryRound(tx, input.day);
  if (existing) return { round: existing, created: false };
  tx.conn.run(
    `INSERT INTO summary_rounds (day, opened_by, opened_at) VALUES (?, ?, ?)`,
    input.day,
    tx.actor,
    tx.now,
  );
  const agents = tx.conn
    .all<{ name: string }>(
      `SELECT name FROM agents WHERE name <> ? AND left_at IS NULL ORDER BY name`,
      tx.actor,
    )
    .map((a) => a.name);
  const { seq } = tx.conn.get<{ seq: number }>(
    `INSERT INTO messages (at, sender, kind, target, urgent, body) VALUES (?, ?, 'broadcast', NULL, 0, ?) RETURNING seq`,
    tx.now,
    tx.actor,
    `Daily summary for ${input.day} is open: write yours with \`baton summary write "what you did, what is next, what blocks you"\``,
  )!;
  deliver(tx, agents, seq);
  appendEvent(tx, {
    type: "summary.triggered",
    subject: input.day,
    summary: `${tx.actor} opened the daily summary for ${input.day} (${agents.length} agent(s) asked)`,
    data: { after: { day: input.day, asked: agents } },
  });
  return { round: getSummaryRound(tx, input.day)!, created: true };
}

export function writeSummaryEntry(tx: Tx, input: Mutation & { day: string; text: string }): SummaryRound {
  touchActor(tx);
  requireRound(tx, input.day);
  const replaced =
    tx.conn.get(`SELECT 1 FROM summary_entries WHERE day = ? AND agent = ?`, input.day, tx.actor) !==
    undefined;
  tx.conn.run(
    `INSERT INTO summary_entries (day, agent, at, text) VALUES (?, ?, ?, ?)
     ON CONFLICT (day, agent) DO UPDATE SET at = excluded.at, text = excluded.text`,
    input.day,
    tx.actor,
    tx.now,
    input.text,
  );
  appendEvent(tx, {
    type: "summary.written",
    subject: input.day,
    summary: `${tx.actor} ${replaced ? "rewrote" : "wrote"} the summary for ${input.day}`,
    data: { after: { agent: tx.actor, replaced } },
  });
  return getSummaryRound(tx, input.day)!;
}

export function saveSummaryReport(tx: Tx, input: Mutation & { day: string; report: string }): SummaryRound {
  touchActor(tx);
  const round = requireRound(tx, input.day);
  tx.conn.run(
    `UPDATE summary_rounds SET collected_at = ?, report = ? WHERE day = ?`,
    tx.now,
    input.report,
    input.day,
  );
  appendEvent(tx, {
    type: "summary.collected",
    subject: input.day,
    summary: `${tx.actor} collected the summary for ${input.day} (${round.entries.length} entries)`,
    data: { before: { collectedAt: round.collectedAt }, after: { entries: round.entries.length } },
  });
  return getSummaryRound(tx, input.day)!;
}

export function listSummaryDays(tx: Tx): string[] {
  return tx.conn
    .all<{ day: string }>(`SELECT day FROM summary_rounds ORDER BY day DESC`)
    .map((row) => row.day);
}
