import type { RunFacts } from "./headless-run.js";

/**
 * Each host's structured output, line by line, folded into what baton knows of
 * a run (RunFacts): its session, each finished turn's cost, whether it failed,
 * and the agent's last word. Field names are the pinned hosts' (test/hosts).
 */

/** One line of a host's output as a JSON object, or undefined for anything else (a log line, a cut line). */
export function json(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(line);
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const record = (v: unknown) =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The message inside an API error the host passed on verbatim: Codex says
 * `{"error":{"message":"…"}}`, Gemini CLI `[API Error: {"error":{…,"message":"…"}}]`.
 */
function apiMessage(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return text;
  try {
    return str(record(record(JSON.parse(text.slice(start, end + 1))).error).message) ?? text;
  } catch {
    return text;
  }
}

/** Claude Code: `system/init` carries the session id; each turn ends with a `result` (cost, error). */
export function readClaude(line: string, facts: RunFacts): void {
  const m = json(line);
  if (!m) return;
  if (m.type === "system" && m.subtype === "init") facts.sessionId = str(m.session_id) ?? facts.sessionId;
  if (m.type === "result") {
    facts.turns = (facts.turns ?? 0) + 1;
    const total = num(m.total_cost_usd);
    if (total !== undefined) {
      // total_cost_usd is the session's so far: the turn cost what it added.
      const before = facts.costUsd ?? 0;
      facts.turnCosts.push({ usd: total >= before ? total - before : total, model: firstKey(m.modelUsage) });
      facts.costUsd = total;
    }
    facts.failed = m.is_error === true;
    if (m.subtype === "error_max_budget_usd") facts.budgetReached = true;
    facts.lastText = str(m.result) ?? facts.lastText;
  }
}

/** The model a turn used (Claude Code's modelUsage is keyed by model): the first, for the ledger's row. */
function firstKey(value: unknown): string | undefined {
  return typeof value === "object" && value !== null ? Object.keys(value)[0] : undefined;
}

/**
 * Codex `exec --json` (0.169): thread.started, turn.completed {usage}, turn.failed {error},
 * error {message}, item.completed (agent text). It names no model, so its
 * tokens are priced by the table's `codex` entry.
 */
export function readCodex(line: string, facts: RunFacts): void {
  const m = json(line);
  if (!m) return;
  if (m.type === "thread.started") facts.sessionId = str(m.thread_id) ?? facts.sessionId;
  if (m.type === "turn.completed" && typeof m.usage === "object" && m.usage !== null) {
    const u = m.usage as Record<string, unknown>;
    const turn = {
      input: num(u.input_tokens) ?? 0,
      output: num(u.output_tokens) ?? 0,
      cached: num(u.cached_input_tokens) ?? 0,
    };
    const before = facts.tokens ?? { input: 0, output: 0 };
    facts.tokens = { input: before.input + turn.input, output: before.output + turn.output };
    facts.turnCosts.push({ tokens: turn });
  }
  if (m.type === "turn.failed" || m.type === "error") {
    facts.failed = true;
    facts.error = apiMessage(str(m.message) ?? str(record(m.error).message)) ?? facts.error;
  }
  if (m.type === "item.completed" && typeof m.item === "object" && m.item !== null) {
    const item = m.item as Record<string, unknown>;
    if (item.type === "agent_message") facts.lastText = str(item.text) ?? facts.lastText;
  }
}

/**
 * Gemini CLI stream-json (0.61): init {session_id}, message (assistant text in
 * `delta` chunks), tool_use, result {status, error, stats}. The stats count
 * tokens per model (the router's own calls under another model): one ledger
 * entry each, so each is priced as its model.
 */
export function geminiReader(): (line: string, facts: RunFacts) => void {
  let speaking = false; // the last event was assistant text: a delta goes on the same message
  return (line, facts) => {
    const m = json(line);
    if (!m) return;
    if (m.type === "init") facts.sessionId = str(m.session_id) ?? facts.sessionId;
    const text = m.type === "message" && m.role === "assistant" ? str(m.content) : undefined;
    if (text !== undefined) facts.lastText = speaking && m.delta === true ? `${facts.lastText}${text}` : text;
    speaking = text !== undefined;
    if (m.type !== "result") return;
    if (m.status === "error") {
      facts.failed = true;
      facts.error = apiMessage(str(record(m.error).message)) ?? facts.error;
    }
    const stats = record(m.stats);
    const input = num(stats.input_tokens);
    const output = num(stats.output_tokens);
    if (input !== undefined || output !== undefined)
      facts.tokens = { input: input ?? 0, output: output ?? 0 };
    for (const [model, raw] of Object.entries(record(stats.models))) {
      const u = record(raw);
      const tokens = {
        input: num(u.input_tokens) ?? 0,
        output: num(u.output_tokens) ?? 0,
        cached: num(u.cached) ?? 0,
      };
      if (tokens.input + tokens.output > 0) facts.turnCosts.push({ tokens, model });
    }
  };
}

/**
 * pi `--mode rpc` (0.73): the session id in the answer to `get_state`
 * (`--mode json` printed a session header first); each model request ends in
 * an assistant `message_end` with `usage.cost.total`, its text and its
 * `stopReason` ("error" with `errorMessage`: pi exits 0 all the same); a
 * refused `prompt` command is a failed `response`.
 */
export function readPi(line: string, facts: RunFacts): void {
  const m = json(line);
  if (!m) return;
  if (m.type === "session") facts.sessionId = str(m.id) ?? facts.sessionId;
  if (m.type === "response") {
    if (m.command === "get_state") facts.sessionId = str(record(m.data).sessionId) ?? facts.sessionId;
    if (m.command === "prompt" && m.success === false) {
      facts.failed = true;
      facts.error = str(m.error) ?? "pi refused the prompt";
    }
    return;
  }
  const message = record(m.message);
  if (m.type !== "message_end" || message.role !== "assistant") return;
  const usage = record(message.usage);
  const cost = num(record(usage.cost).total) ?? 0;
  const cached = num(usage.cacheRead) ?? 0;
  const tokens = {
    input: (num(usage.input) ?? 0) + cached + (num(usage.cacheWrite) ?? 0),
    output: num(usage.output) ?? 0,
    cached,
  };
  // A request aborted or refused before the model answered costs nothing and is no turn.
  if (cost > 0 || tokens.input + tokens.output > 0) {
    facts.costUsd = (facts.costUsd ?? 0) + cost;
    facts.turnCosts.push({ usd: cost, tokens, model: str(message.model) });
  }
  const text = Array.isArray(message.content)
    ? message.content
        .map((part) => record(part))
        .filter((part) => part.type === "text")
        .map((part) => str(part.text) ?? "")
        .join("")
    : "";
  if (text.trim()) facts.lastText = text;
  // The latest request decides: pi retries some errors itself, and a retry that answers clears it.
  facts.failed = message.stopReason === "error";
  facts.error = facts.failed ? (str(message.errorMessage) ?? "the model request failed") : undefined;
}
