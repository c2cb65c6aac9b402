import type { TokenCount } from "../../domain/cost.js";
import { commandWords } from "../team/command-words.js";

/** What a headless run of a host told about itself, read from its structured output. */
export interface RunFacts {
  /** The host's session or thread id: a later run can resume it. */
  sessionId?: string;
  /** What the run cost in USD, when the host says (Claude Code, pi). */
  costUsd?: number;
  /** Tokens in and out, when the host counts them instead (Codex, Gemini). */
  tokens?: { input: number; output: number };
  /** The host said the turn failed even if it exited 0. */
  failed?: boolean;
  /** The last thing the agent said, for the task's result. */
  lastText?: string;
  /** The host stopped itself at the budget baton gave it (Claude Code's --max-budget-usd). */
  budgetReached?: boolean;
  /** Turns the host finished (Claude Code: its `result` messages). */
  turns?: number;
  /** What each finished turn cost, in order, for the ledger (work-loop charges new ones as they come). */
  turnCosts: TurnCostFact[];
}

/** One finished turn's cost as the host reported it: dollars, or tokens for baton to price. */
export interface TurnCostFact {
  usd?: number;
  tokens?: TokenCount;
  model?: string;
}

export function newRunFacts(): RunFacts {
  return { turnCosts: [] };
}

/** How to run one host without a terminal, give it the prompt, and read its JSON lines. */
export interface HeadlessCommand {
  host: string;
  argv: string[];
  /**
   * How the prompt goes in: as an argument (already in argv), on stdin (a
   * command of the user's), or as a stream-json user message with stdin kept
   * open for the host's permission requests (Claude Code).
   */
  prompt: "argv" | "stdin" | "stream-json";
  /** Folds one line of the host's stdout into what is known of the run. */
  read: (line: string, facts: RunFacts) => void;
}

function json(line: string): Record<string, unknown> | undefined {
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

/** Claude Code: `system/init` carries the session id; each turn ends with a `result` (cost, error). */
function readClaude(line: string, facts: RunFacts): void {
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

/** Codex `exec --json`: thread.started, turn.completed {usage}, turn.failed, item.completed (agent text). */
function readCodex(line: string, facts: RunFacts): void {
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
  if (m.type === "turn.failed" || m.type === "error") facts.failed = true;
  if (m.type === "item.completed" && typeof m.item === "object" && m.item !== null) {
    const item = m.item as Record<string, unknown>;
    if (item.type === "agent_message") facts.lastText = str(item.text) ?? facts.lastText;
  }
}

/** Gemini CLI stream-json: init {session_id}, message (assistant text), result {stats}. */
function readGemini(line: string, facts: RunFacts): void {
  const m = json(line);
  if (!m) return;
  if (m.type === "init") facts.sessionId = str(m.session_id) ?? facts.sessionId;
  if (m.type === "message" && m.role === "assistant") facts.lastText = str(m.content) ?? facts.lastText;
  if (m.type === "result") {
    if (m.status === "error") facts.failed = true;
    const stats = (m.stats ?? {}) as Record<string, unknown>;
    const input = num(stats.input_tokens);
    const output = num(stats.output_tokens);
    if (input !== undefined || output !== undefined) {
      facts.tokens = { input: input ?? 0, output: output ?? 0 };
      facts.turnCosts.push({
        tokens: { ...facts.tokens, cached: num(stats.cached) ?? 0 },
        model: firstKey(stats.models),
      });
    }
  }
}

/** pi `--mode json`: a session header first; messages carry `usage.cost.total`; a run ends with agent_end. */
function readPi(line: string, facts: RunFacts): void {
  const m = json(line);
  if (!m) return;
  // Its first line is the session file's header: `{type: "session", id}`.
  if (m.type === "session") facts.sessionId = str(m.id) ?? facts.sessionId;
  const message = (m.message ?? {}) as Record<string, unknown>;
  const usage = (message.usage ?? {}) as Record<string, unknown>;
  const cost = num((usage.cost as Record<string, unknown> | undefined)?.total);
  if (m.type === "message_end" && cost !== undefined) {
    facts.costUsd = (facts.costUsd ?? 0) + cost;
    facts.turnCosts.push({ usd: cost, model: str(message.model) });
  }
}

/**
 * The command `baton work` runs for one task. Known hosts run in their
 * structured headless mode with the prompt as one argument (Claude Code: as a
 * stream-json message, see `prompt`); any other command
 * runs as given and gets the prompt on stdin and in BATON_TASK_PROMPT, and
 * only its exit code counts. `resume` is a session the host reported in an
 * earlier run of the same task: Claude Code, Codex and pi go on in it (the
 * agent keeps what it had done and read); Gemini CLI resumes only by index,
 * which another run in the same folder could have moved, so it starts afresh.
 * `budgetUsd` is what the cost caps leave (Claude Code stops itself there;
 * other hosts are stopped by baton when a finished turn reaches a cap).
 */
export function headlessCommand(
  spec: string,
  prompt: string,
  options: { resume?: string; budgetUsd?: number } = {},
): HeadlessCommand {
  const { resume, budgetUsd } = options;
  switch (spec) {
    case "claude":
      // The prompt comes on stdin (claude-control.ts), and each permission request goes out
      // on stdout and waits for baton's answer, instead of being denied for want of a prompt.
      return {
        host: "claude",
        argv: [
          "claude",
          "-p",
          "--input-format",
          "stream-json",
          "--output-format",
          "stream-json",
          "--verbose",
          "--permission-prompt-tool",
          "stdio",
          ...(resume ? ["--resume", resume] : []),
          // Claude Code enforces a cap itself, mid-run: it stops when the turn's spend reaches it.
          ...(budgetUsd !== undefined ? ["--max-budget-usd", budgetUsd.toFixed(6)] : []),
        ],
        prompt: "stream-json",
        read: readClaude,
      };
    case "codex":
      return {
        host: "codex",
        argv: resume
          ? ["codex", "exec", "resume", "--json", resume, prompt]
          : ["codex", "exec", "--json", prompt],
        prompt: "argv",
        read: readCodex,
      };
    case "gemini":
      return {
        host: "gemini",
        argv: ["gemini", "-p", prompt, "--output-format", "stream-json"],
        prompt: "argv",
        read: readGemini,
      };
    case "pi":
      return {
        host: "pi",
        argv: ["pi", "-p", "--mode", "json", ...(resume ? ["--session", resume] : []), prompt],
        prompt: "argv",
        read: readPi,
      };
    default:
      return { host: "command", argv: commandWords(spec), prompt: "stdin", read: () => {} };
  }
}
