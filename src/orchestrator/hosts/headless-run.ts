import type { TokenCount } from "../../domain/cost.js";
import { commandWords } from "../team/command-words.js";
import { geminiAcpReader, readClaude, readCodex, readPi } from "./run-readers.js";

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
  /** What the host said went wrong, for the failed task's reason (its output's tail says less). */
  error?: string;
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
   * command of the user's), as a stream-json user message with stdin kept
   * open for the host's permission requests (Claude Code), or as an RPC
   * `prompt` command with stdin kept open for an abort (pi, pi-session.ts),
   * or as an ACP `session/prompt` with stdin kept open for the host's
   * permission requests (Gemini CLI, gemini-acp-session.ts).
   */
  prompt: "argv" | "stdin" | "stream-json" | "rpc" | "acp";
  /** Folds one line of the host's stdout into what is known of the run. */
  read: (line: string, facts: RunFacts) => void;
}

/**
 * The command `baton work` runs for one task. Known hosts run in their
 * structured headless mode with the prompt as one argument (Claude Code,
 * Gemini CLI and pi: on stdin in their own protocol, see `prompt`); any other command
 * runs as given and gets the prompt on stdin and in BATON_TASK_PROMPT, and
 * only its exit code counts. `resume` is a session the host reported in an
 * earlier run of the same task: Claude Code, Codex and pi go on in it (the
 * agent keeps what it had done and read); Gemini CLI starts afresh (its ACP
 * mode could load a session by id, `session/load`, which baton does not use yet).
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
      // ACP, not `-p --output-format stream-json`: each permission request comes to baton and
      // waits for its answer, where headless -p refuses every tool that needs confirming.
      return { host: "gemini", argv: ["gemini", "--acp"], prompt: "acp", read: geminiAcpReader() };
    case "pi":
      // RPC, not `-p --mode json`: stdin stays open, so baton can ask pi to abort
      // (it ends its tool calls and saves the session) before it signals it.
      return {
        host: "pi",
        argv: ["pi", "--mode", "rpc", ...(resume ? ["--session", resume] : [])],
        prompt: "rpc",
        read: readPi,
      };
    default:
      return { host: "command", argv: commandWords(spec), prompt: "stdin", read: () => {} };
  }
}
