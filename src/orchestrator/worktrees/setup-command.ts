import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BatonError } from "../../errors.js";
import { describeOutcome, type HookOutcome, runHook, succeeded } from "../../hooks/run-hook.js";
import { writeTextAtomic } from "../../util/write-atomic.js";

/**
 * A command that prepares a new worktree (`npm ci`, `uv sync`), as argv: never
 * a shell string. It runs in the worktree with baton's environment and `env`;
 * as for a hook, its stdin carries the event as JSON (`{"type":
 * "worktree.setup", "agent", "worktree"}`) and BATON_HOOK_EVENT names it.
 */
export interface SetupCommand {
  argv: string[];
  /** Added to baton's environment for it. */
  env?: Record<string, string>;
  /** Default: 10 minutes (an install from an empty cache takes a few). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** How much of its output a failure shows: the error is at the end, and a hint is not a log. */
const TAIL_LINES = 20;
/** In the worktree's git dir, beside baton-agent: the setup that last succeeded there. */
const DONE_FILE = "baton-setup";

/**
 * Runs the setup command in the worktree, unless that same command already
 * succeeded there: reusing a worktree does not reinstall, but one whose setup
 * failed (or changed) gets it again. It runs as a hook does (run-hook.ts): its
 * own process group, a deadline, and nothing of it left running after it.
 */
export async function runSetup(
  worktree: string,
  gitDir: string,
  name: string,
  setup: SetupCommand,
): Promise<"ran" | "done before"> {
  if (setup.argv.length === 0 || setup.argv[0] === "")
    throw new BatonError(
      "invalid_input",
      "the setup command is empty",
      "give the command as argv, e.g. npm ci",
    );
  const record = JSON.stringify(setup.argv);
  if (doneBefore(gitDir) === record) return "done before";
  const outcome = await runHook(
    setup.argv,
    { type: "worktree.setup", agent: name, worktree },
    { cwd: worktree, timeoutMs: setup.timeoutMs ?? DEFAULT_TIMEOUT_MS, env: setup.env },
  );
  if (!succeeded(outcome)) throw scriptFailed("setup", name, worktree, setup.argv, outcome);
  writeTextAtomic(join(gitDir, DONE_FILE), `${record}\n`);
  return "ran";
}

/**
 * A worktree script that failed (setup, archive), with the tail of its output
 * in the message: the error is at the end, and a hint is not a log.
 */
export function scriptFailed(
  what: "setup" | "archive",
  name: string,
  worktree: string,
  argv: string[],
  outcome: HookOutcome,
): BatonError {
  const tail = outcome.output.trimEnd().split("\n").slice(-TAIL_LINES).join("\n");
  const after =
    what === "setup"
      ? "the worktree is kept, and the setup runs again next time"
      : "the worktree is kept (its work is saved in the wip ref); fix the script, or empty team.archive, and clean up again";
  return new BatonError(
    "gate_failed",
    `the ${what} of ${name}'s worktree failed: ${describeOutcome(outcome)}${tail ? `\n${tail}` : ""}`,
    `run it yourself to see why: cd ${worktree} && ${argv.join(" ")}; ${after}`,
    {
      agent: name,
      worktree,
      argv,
      exitCode: outcome.code,
      timedOut: outcome.timedOut,
      output: tail,
      reason: what,
    },
  );
}

function doneBefore(gitDir: string): string | undefined {
  try {
    return readFileSync(join(gitDir, DONE_FILE), "utf8").trim();
  } catch {
    return undefined;
  }
}
