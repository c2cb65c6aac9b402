/**
 * The `costs` section of the config: what a token costs for hosts that count
 * tokens instead of dollars (Codex, Gemini), and the caps that stop an agent's
 * work and ask the human.
 */
export interface CostConfig {
  /** USD per million tokens, by model name or host name (the model is tried first). */
  prices: Record<string, TokenPrice>;
  /** Spend on one task after which its agent is stopped and a human asked, or null. */
  taskCapUsd: number | null;
  /** Spend of one agent (all its tasks) after which it is stopped and a human asked, or null. */
  agentCapUsd: number | null;
}

export interface TokenPrice {
  input: number;
  output: number;
  /** Cached input, when the host counts it apart; else billed as input. */
  cachedInput: number | null;
}

/**
 * A default table so a Codex or Gemini run shows some figure at once; every
 * cost priced from it is marked estimated, and a team puts its own prices here.
 */
export const DEFAULT_PRICES: Record<string, TokenPrice> = {
  // Interactive Claude Code tells hooks no dollars: its transcript's tokens are priced by model family.
  "claude-opus": { input: 5, output: 25, cachedInput: 0.5 },
  "claude-sonnet": { input: 3, output: 15, cachedInput: 0.3 },
  "claude-haiku": { input: 1, output: 5, cachedInput: 0.1 },
  codex: { input: 1.25, output: 10, cachedInput: 0.125 },
  gemini: { input: 1.25, output: 10, cachedInput: 0.31 },
};

const KEYS = ["prices", "task_cap_usd", "agent_cap_usd"] as const;
const PRICE_KEYS = ["input", "output", "cached_input"] as const;
/** No price or cap above this: a typo of a few zeros is refused, not believed. */
const MAX_USD = 1_000_000;

type Fail = (message: string, hint: string) => never;
type RefuseUnknown = (raw: Record<string, unknown>, known: readonly string[], where: string) => void;

function usd(raw: unknown, where: string, fail: Fail): number {
  if (typeof raw !== "number" || !Number.isFinite(raw) || raw < 0 || raw > MAX_USD)
    fail(`${where} must be a number of dollars from 0 to ${MAX_USD}`, `${where.split(".").at(-1)}: 5`);
  return raw;
}

export function parseCostConfig(raw: unknown, fail: Fail, refuse: RefuseUnknown): CostConfig {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw))
    fail('"costs" must be an object', '"costs": { "task_cap_usd": 5, "agent_cap_usd": 20 }');
  const c = raw as Record<string, unknown>;
  refuse(c, KEYS, '"costs"');
  const prices: Record<string, TokenPrice> = { ...DEFAULT_PRICES };
  if (c.prices !== undefined && c.prices !== null) {
    if (typeof c.prices !== "object" || Array.isArray(c.prices))
      fail(
        '"costs.prices" must be an object',
        '"prices": { "gpt-5-codex": { "input": 1.25, "output": 10 } }',
      );
    const entries = Object.entries(c.prices as Record<string, unknown>);
    if (entries.length > 200) fail('"costs.prices" may name up to 200 models', "keep the models you use");
    for (const [model, value] of entries) {
      const where = `costs.prices["${model.slice(0, 60)}"]`;
      if (model.length === 0 || model.length > 128) fail(`${where}: a model name is 1 to 128 characters`, "");
      if (typeof value !== "object" || value === null || Array.isArray(value))
        fail(`${where} must be an object`, '{ "input": 1.25, "output": 10 }');
      const p = value as Record<string, unknown>;
      refuse(p, PRICE_KEYS, where);
      const price: TokenPrice = {
        input: usd(p.input, `${where}.input`, fail),
        output: usd(p.output, `${where}.output`, fail),
        cachedInput:
          p.cached_input === undefined || p.cached_input === null
            ? null
            : usd(p.cached_input, `${where}.cached_input`, fail),
      };
      // A model's name is data: `prices["__proto__"] = ...` would set the object's prototype and
      // the price would be silently lost (a hostile run's "__proto__" model was charged nothing).
      Object.defineProperty(prices, model, {
        value: price,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  const cap = (key: "task_cap_usd" | "agent_cap_usd") =>
    c[key] === undefined || c[key] === null ? null : usd(c[key], `costs.${key}`, fail);
  return { prices, taskCapUsd: cap("task_cap_usd"), agentCapUsd: cap("agent_cap_usd") };
}
