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

/**
 * Gemini CLI in ACP mode (`gemini --acp`, 0.61; the client side is
 * gemini-acp-session.ts): the answer to `session/new` carries the session id;
 * `session/update` notifications stream the agent's text in
 * `agent_message_chunk`s; each answered `session/prompt` is a turn, with
 * `stopReason` and `_meta.quota` {token_count, model_usage[{model,
 * token_count}]}; an error answer (the API refused, auth failed) is a failure.
 */
export function geminiAcpReader(): (line: string, facts: RunFacts) => void {
  let speaking = false; // the last message was agent text: a chunk goes on the same message
  return (line, facts) => {
    const m = json(line);
    if (m?.jsonrpc !== "2.0") return;
    const update = record(record(m.params).update);
    const chunk =
      m.method === "session/update" && update.sessionUpdate === "agent_message_chunk"
        ? str(record(update.content).text)
        : undefined;
    if (chunk !== undefined) {
      facts.lastText = speaking ? `${facts.lastText ?? ""}${chunk}` : chunk;
      speaking = true;
    } else if (update.sessionUpdate !== "available_commands_update") {
      // A tool call, a permission request, an answer: the next chunk starts a new message.
      speaking = false;
    }
    if (m.method !== undefined) return;
    if (m.error !== undefined) {
      facts.failed = true;
      facts.error = apiMessage(str(record(m.error).message)) ?? "Gemini CLI refused a request";
      return;
    }
    const result = record(m.result);
    if (str(result.sessionId)) facts.sessionId = str(result.sessionId);
    const stopReason = str(result.stopReason);
    if (stopReason === undefined) return;
    facts.turns = (facts.turns ?? 0) + 1;
    // baton's own cancel (a timed-out approval) is told by the broker, not as the host's failure.
    if (stopReason !== "end_turn" && stopReason !== "cancelled") {
      facts.failed = true;
      facts.error = `Gemini CLI ended the turn: ${stopReason}`;
    }
    const quota = record(record(result._meta).quota);
    const total = record(quota.token_count);
    const input = num(total.input_tokens) ?? 0;
    const output = num(total.output_tokens) ?? 0;
    const before = facts.tokens ?? { input: 0, output: 0 };
    if (input + output > 0) facts.tokens = { input: before.input + input, output: before.output + output };
    for (const raw of Array.isArray(quota.model_usage) ? quota.model_usage : []) {
      const u = record(record(raw).token_count);
      const tokens = { input: num(u.input_tokens) ?? 0, output: num(u.output_tokens) ?? 0 };
      if (tokens.input + tokens.output > 0) facts.turnCosts.push({ tokens, model: str(record(raw).model) });
    }
  };
}
