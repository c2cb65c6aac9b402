import {
  type CapReached,
  type CostEntry,
  type CostTotal,
  capReached,
  formatUsd,
  priceOf,
  type TokenCount,
  tokensUsd,
} from "../domain/cost.js";

import { parseTaskId } from "../domain/task-rules.js";
import { BatonError, clip } from "../errors.js";
import type { CostTotalsResult } from "../store/port.js";
import { oneLine } from "../util/control-chars.js";
import type { ServiceContext } from "./service-context.js";

/** One turn as a host reported it: dollars (Claude Code, pi) or tokens (Codex, Gemini). */
export interface TurnCost {
  task?: string | null;
  host: string;
  session?: string | null;
  turn?: number | null;
  model?: string | null;
  usd?: number;
  tokens?: TokenCount;
}

export interface RecordedCost {
  entry: CostEntry;
  agent: CostTotal;
  task: CostTotal | null;
  /** The first cap reached (the task's before the agent's), or null. */
  cap: CapReached | null;
}

const MAX_USD = 1_000_000;
const MAX_TOKENS = 1e12;

function checkAmount(value: number, max: number, what: string): number {
  if (!Number.isFinite(value) || value < 0 || value > max)
    throw new BatonError(
      "invalid_input",
      `${what} must be a number from 0 to ${max}`,
      `not ${clip(String(value), 30)}`,
    );
  return value;
}

function checkWord(value: string | null | undefined, max: number, what: string): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (value.length > max)
    throw new BatonError(
      "invalid_input",
      `${what} is longer than ${max} characters`,
      "give the host's own short id",
    );
  return value;
}

/**
 * The cost ledger: each turn an agent's host finished, charged to the agent and
 * its task, in dollars as the host said or priced from the config's table
 * (marked estimated). Caps are checked on the totals the store answers in the
 * same transaction as the entry.
 */
export class CostService {
  constructor(private readonly ctx: ServiceContext) {}

  async record(turn: TurnCost): Promise<RecordedCost> {
    const host = checkWord(turn.host, 64, "the host")!;
    const model = checkWord(turn.model, 128, "the model");
    let usd: number | null = null;
    let estimated = false;
    if (turn.usd !== undefined) usd = checkAmount(turn.usd, MAX_USD, "the cost");
    const input = turn.tokens ? Math.round(checkAmount(turn.tokens.input, MAX_TOKENS, "input tokens")) : 0;
    const output = turn.tokens ? Math.round(checkAmount(turn.tokens.output, MAX_TOKENS, "output tokens")) : 0;
    const cached =
      turn.tokens?.cached === undefined ? 0 : checkAmount(turn.tokens.cached, MAX_TOKENS, "cached tokens");
    if (usd === null && turn.tokens) {
      const price = priceOf(this.ctx.config.costs.prices, host, model);
      if (price) {
        usd = tokensUsd(price, { input, output, cached: Math.min(cached, input) });
        estimated = true;
      }
    }
    const result = await this.ctx.store.recordCost({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      task: turn.task ? parseTaskId(turn.task) : null,
      host,
      session: checkWord(turn.session, 200, "the session id"),
      turn: turn.turn ?? null,
      model,
      usd,
      estimated,
      inputTokens: input,
      outputTokens: output,
    });
    const cap = capReached(this.ctx.config.costs, {
      agent: result.entry.agent,
      agentUsd: result.agent.usd,
      task: result.entry.task,
      taskUsd: result.task?.usd ?? 0,
    });
    return { ...result, cap };
  }

  /**
   * A turn as a host reported it (its JSON output, its transcript): charged
   * whatever else it says. `record` refuses a model name of 10 kB or a
   * negative count, which is right for a person's `baton cost add`; for a
   * host, a refusal lost the whole turn's money and its cap check (a hostile
   * run's transcript with one odd entry charged nothing for the turn). So what
   * a host says is made fit first: names to one bounded line, counts that are
   * not counts to 0, amounts to the ledger's bounds (a figure past them is
   * charged at the bound, so a cap still stops the agent).
   */
  async recordReported(turn: TurnCost): Promise<RecordedCost> {
    const line = (v: unknown, max: number) =>
      typeof v === "string" && v.trim() !== "" ? oneLine(v).slice(0, max) : null;
    const count = (v: unknown) =>
      typeof v === "number" && !Number.isNaN(v) && v > 0 ? Math.min(v, MAX_TOKENS) : 0;
    const usd =
      typeof turn.usd === "number" && !Number.isNaN(turn.usd) && turn.usd >= 0
        ? Math.min(turn.usd, MAX_USD)
        : undefined;
    const tokens = turn.tokens
      ? {
          input: count(turn.tokens.input),
          output: count(turn.tokens.output),
          cached: Math.min(count(turn.tokens.cached), count(turn.tokens.input)),
        }
      : undefined;
    return this.record({
      task: turn.task,
      host: line(turn.host, 64) ?? "unknown",
      session: line(turn.session, 200),
      turn: typeof turn.turn === "number" && Number.isSafeInteger(turn.turn) ? turn.turn : null,
      model: line(turn.model, 128),
      ...(usd !== undefined ? { usd } : {}),
      ...(tokens ? { tokens } : {}),
    });
  }

  async totals(options: { agents?: string[]; tasks?: string[] } = {}): Promise<CostTotalsResult> {
    return this.ctx.store.costTotals({
      agents: options.agents,
      tasks: options.tasks?.map(parseTaskId),
    });
  }

  /** A task's total and its newest entries, for task details. */
  async ofTask(id: string, limit = 50): Promise<{ total: CostTotal; entries: CostEntry[] }> {
    const task = parseTaskId(id);
    const result = await this.ctx.store.costTotals({
      agents: [],
      tasks: [task],
      entriesOf: task,
      entryLimit: limit,
    });
    return { total: result.tasks[task]!, entries: result.entries };
  }
}

/** The answers a human picks from when a cap stops an agent (baton work's worker and the Stop hook ask alike). */
export const CAP_CHOICES = ["continue", "stop"] as const;
export type CapChoice = (typeof CAP_CHOICES)[number];

/** What a human's answer to a cap question chose: anything but "continue" stops. */
export function capChoice(answer: string | null): CapChoice {
  return answer?.trim().toLowerCase() === "continue" ? "continue" : "stop";
}

/** The sentence a cap stops work with: what was spent, the cap, and what a human can do. */
export function capSentence(cap: CapReached): string {
  const whose = cap.kind === "task" ? `task ${cap.subject}` : `agent ${cap.subject}`;
  return `${whose} has cost ${formatUsd(cap.spent)}, reaching its cap of ${formatUsd(cap.cap)} (costs.${cap.kind}_cap_usd)`;
}
