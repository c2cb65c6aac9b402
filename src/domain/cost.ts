import type { TokenPrice } from "./cost-config.js";

/** What one turn of an agent cost, as its host reported it (or as baton priced its tokens). */
export interface CostEntry {
  seq: number;
  at: number;
  agent: string;
  task: string | null;
  /** claude, codex, gemini, pi, or the host named by whoever reported it. */
  host: string;
  /** The host's session or thread id, when it has one. */
  session: string | null;
  /** The turn's number within its run, when known. */
  turn: number | null;
  model: string | null;
  /** Null when the host counted tokens and no price is known for them. */
  usd: number | null;
  /** Priced by baton from the config's table, not reported in dollars by the host. */
  estimated: boolean;
  inputTokens: number;
  outputTokens: number;
}

/** The sum of an agent's or a task's entries. */
export interface CostTotal {
  usd: number;
  /** Some of `usd` was priced from the config's table. */
  estimated: boolean;
  /** Entries with tokens but no price: `usd` leaves them out. */
  unpriced: number;
  inputTokens: number;
  outputTokens: number;
  turns: number;
}

export const NO_COST: CostTotal = {
  usd: 0,
  estimated: false,
  unpriced: 0,
  inputTokens: 0,
  outputTokens: 0,
  turns: 0,
};

/** Tokens a host counted in one turn. */
export interface TokenCount {
  input: number;
  output: number;
  /** Part of `input` read from the host's cache, billed at its own price where the table has one. */
  cached?: number;
}

/**
 * The price of a turn's tokens from the table: the model's own entry, else the
 * longest entry its name starts with (`gpt-5` for `gpt-5-codex-high`), else the
 * host's. Undefined when nothing matches: a made-up figure is worse than none.
 */
export function priceOf(
  prices: Record<string, TokenPrice>,
  host: string,
  model: string | null,
): TokenPrice | undefined {
  if (model) {
    if (Object.hasOwn(prices, model)) return prices[model];
    const prefix = Object.keys(prices)
      .filter((key) => model.startsWith(key))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix) return prices[prefix];
  }
  return Object.hasOwn(prices, host) ? prices[host] : undefined;
}

export function tokensUsd(price: TokenPrice, tokens: TokenCount): number {
  const cached = Math.min(tokens.cached ?? 0, tokens.input);
  const cachedRate = price.cachedInput ?? price.input;
  return ((tokens.input - cached) * price.input + cached * cachedRate + tokens.output * price.output) / 1e6;
}

/** Dollars for people: cents from ten cents up, four places below (a turn often costs under a cent). */
export function formatUsd(usd: number): string {
  if (usd >= 0.1) return `$${usd.toFixed(2)}`;
  if (usd === 0) return "$0";
  return `$${usd.toFixed(4)}`;
}

/** "$1.23", "~$1.23" when estimated, "+ 2 unpriced" when some turns had no price. */
export function describeCost(total: CostTotal): string {
  if (total.turns === 0) return "nothing yet";
  const usd = `${total.estimated ? "~" : ""}${formatUsd(total.usd)}`;
  return total.unpriced ? `${usd} (+${total.unpriced} unpriced turn${total.unpriced === 1 ? "" : "s"})` : usd;
}

export function addCost(a: CostTotal, b: CostTotal): CostTotal {
  return {
    usd: a.usd + b.usd,
    estimated: a.estimated || b.estimated,
    unpriced: a.unpriced + b.unpriced,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    turns: a.turns + b.turns,
  };
}

/** A cap that an agent's or a task's spend has reached. */
export interface CapReached {
  kind: "task" | "agent";
  /** The task's id, or the agent's name. */
  subject: string;
  spent: number;
  cap: number;
}

/**
 * The first cap reached (the task's before the agent's), or null. `allowance`
 * is what humans added on top by answering "continue" when a cap stopped the
 * agent before.
 */
export function capReached(
  caps: { taskCapUsd: number | null; agentCapUsd: number | null },
  spent: { agent: string; agentUsd: number; task: string | null; taskUsd: number },
  allowance: { task: number; agent: number } = { task: 0, agent: 0 },
): CapReached | null {
  if (spent.task && caps.taskCapUsd !== null) {
    const cap = caps.taskCapUsd + allowance.task;
    if (spent.taskUsd >= cap) return { kind: "task", subject: spent.task, spent: spent.taskUsd, cap };
  }
  if (caps.agentCapUsd !== null) {
    const cap = caps.agentCapUsd + allowance.agent;
    if (spent.agentUsd >= cap) return { kind: "agent", subject: spent.agent, spent: spent.agentUsd, cap };
  }
  return null;
}
