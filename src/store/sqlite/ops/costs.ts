import { type CostEntry, type CostTotal, formatUsd, NO_COST } from "../../../domain/cost.js";
import { BatonError } from "../../../errors.js";
import type { CostTotalsInput, CostTotalsResult, RecordCostInput, RecordCostResult } from "../../port.js";
import { appendEvent, type Tx, touchActor } from "../tx.js";

interface CostRow {
  seq: number;
  at: number;
  agent: string;
  task: string | null;
  host: string;
  session: string | null;
  turn: number | null;
  model: string | null;
  usd: number | null;
  estimated: number;
  input_tokens: number;
  output_tokens: number;
}

interface TotalRow {
  key: string;
  usd: number | null;
  estimated: number | null;
  unpriced: number;
  input_tokens: number | null;
  output_tokens: number | null;
  turns: number;
}

const TOTAL_COLUMNS = `coalesce(sum(usd), 0) AS usd, max(estimated) AS estimated,
  sum(usd IS NULL) AS unpriced, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
  count(*) AS turns`;

function toTotal(row: TotalRow | undefined): CostTotal {
  if (!row || row.turns === 0) return { ...NO_COST };
  return {
    usd: row.usd ?? 0,
    estimated: row.estimated === 1,
    unpriced: row.unpriced,
    inputTokens: row.input_tokens ?? 0,
    outputTokens: row.output_tokens ?? 0,
    turns: row.turns,
  };
}

/** One agent's or task's total, for the views that show it beside the rest (agents, task details). */
export function totalOf(tx: Tx, column: "agent" | "task", key: string): CostTotal {
  return toTotal(
    tx.conn.get<TotalRow>(`SELECT ? AS key, ${TOTAL_COLUMNS} FROM costs WHERE ${column} = ?`, key, key),
  );
}

function toEntry(row: CostRow): CostEntry {
  return {
    seq: row.seq,
    at: row.at,
    agent: row.agent,
    task: row.task,
    host: row.host,
    session: row.session,
    turn: row.turn,
    model: row.model,
    usd: row.usd,
    estimated: row.estimated === 1,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
  };
}

/**
 * Adds one turn to the ledger, as the agent it belongs to (the actor), and
 * answers with the agent's and the task's totals after it: the caller checks
 * its caps against figures from the same transaction, so two turns ending at
 * once cannot both slip under a cap. One event per entry, so `baton log` shows
 * where money went.
 */
export function recordCost(tx: Tx, input: RecordCostInput): RecordCostResult {
  // Spending is acting: the agent is known (and seen) from its first charged turn.
  touchActor(tx);
  if (input.task !== null && input.task !== undefined) {
    const known = tx.conn.get<{ id: string }>(`SELECT id FROM tasks WHERE id = ?`, input.task);
    if (!known)
      throw new BatonError("not_found", `no task ${input.task} to charge`, {
        cli: "baton task list shows the tasks",
        tool: "list_tasks shows the tasks",
      });
  }
  const row = tx.conn.get<CostRow>(
    `INSERT INTO costs (at, agent, task, host, session, turn, model, usd, estimated, input_tokens, output_tokens)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    tx.now,
    tx.actor,
    input.task ?? null,
    input.host,
    input.session ?? null,
    input.turn ?? null,
    input.model ?? null,
    input.usd ?? null,
    input.estimated ? 1 : 0,
    input.inputTokens ?? 0,
    input.outputTokens ?? 0,
  )!;
  const entry = toEntry(row);
  const spent =
    entry.usd === null
      ? `${entry.inputTokens + entry.outputTokens} tokens (no price)`
      : `${entry.estimated ? "~" : ""}${formatUsd(entry.usd)}`;
  appendEvent(tx, {
    type: "cost.recorded",
    // The agent's, not the task's: a task's history shows its turns' total, not one line per turn.
    subject: tx.actor,
    summary: `${tx.actor} spent ${spent}${entry.task ? ` on ${entry.task}` : ""} (${entry.host}${entry.turn ? `, turn ${entry.turn}` : ""})`,
    data: { after: entry },
  });
  return {
    entry,
    agent: totalOf(tx, "agent", tx.actor),
    task: entry.task ? totalOf(tx, "task", entry.task) : null,
  };
}

/** Every agent's total, by name (agents that spent nothing are absent). */
export function allAgentTotals(tx: Tx): Map<string, CostTotal> {
  const rows = tx.conn.all<TotalRow>(`SELECT agent AS key, ${TOTAL_COLUMNS} FROM costs GROUP BY agent`);
  return new Map(rows.map((row) => [row.key, toTotal(row)]));
}

/** Totals per agent and per task named (all agents when none is named), and the newest entries of a task. */
export function costTotals(tx: Tx, input: CostTotalsInput): CostTotalsResult {
  const agents: Record<string, CostTotal> = {};
  if (input.agents === undefined) for (const [name, total] of allAgentTotals(tx)) agents[name] = total;
  else for (const name of input.agents) agents[name] = totalOf(tx, "agent", name);
  const tasks: Record<string, CostTotal> = {};
  for (const id of input.tasks ?? []) tasks[id] = totalOf(tx, "task", id);
  const entries = input.entriesOf
    ? tx.conn
        .all<CostRow>(
          `SELECT * FROM costs WHERE task = ? ORDER BY seq DESC LIMIT ?`,
          input.entriesOf,
          input.entryLimit ?? 50,
        )
        .map(toEntry)
    : [];
  return { agents, tasks, entries };
}
