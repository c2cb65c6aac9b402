import { execFileSync } from "node:child_process";
import { BatonError, type ErrorCode, type Hint } from "../../errors.js";

/**
 * Variables git sets for its hooks and subprocesses that say which repository,
 * index or work tree to use. Inherited by baton (run from a git hook, or by an
 * agent inside `git rebase -x`), they would point every command below at that
 * repository instead of the folder given: `-C` does not override GIT_DIR.
 */
const REPOSITORY_VARIABLES = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_COMMON_DIR",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_IMPLICIT_WORK_TREE",
  "GIT_PREFIX",
  "GIT_NAMESPACE",
  "GIT_GRAFT_FILE",
  "GIT_SHALLOW_FILE",
];

export interface GitOptions {
  /** Added to the environment (GIT_INDEX_FILE for a scratch index, the committer of a wip commit). */
  env?: Record<string, string>;
  /** The error's code and hint when git fails; the message is git's own last words. */
  code?: ErrorCode;
  hint?: Hint;
}

/** The environment git runs in: the caller's, without what points git at another repository, and never prompting. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  // Never stop to ask for a password or an editor: nothing here needs either.
  return { ...env, GIT_TERMINAL_PROMPT: "0", GIT_EDITOR: "true", ...extra };
}

/** Runs git in `cwd` with argv (never a shell) and returns its stdout, trailing newline removed. */
export function runGit(cwd: string, args: string[], options: GitOptions = {}): string {
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      env: gitEnv(options.env),
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 * 1024 * 1024,
    }).replace(/\n$/, "");
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT")
      throw new BatonError("not_a_repository", "git is not installed or not on PATH", "install git");
    const said =
      String(e.stderr ?? "")
        .trim()
        .split("\n")
        .filter(Boolean)
        .at(-1) ?? e.message;
    throw new BatonError(
      options.code ?? "invalid_state",
      `git ${args.find((arg) => !arg.startsWith("-")) ?? ""} failed: ${said}`,
      options.hint ?? "run the same git command yourself to see the whole message",
    );
  }
}

/** Runs git and says whether it succeeded (exit 0), for questions git answers with its exit code. */
export function gitSucceeds(cwd: string, args: string[], options: GitOptions = {}): boolean {
  try {
    execFileSync("git", args, { cwd, env: gitEnv(options.env), stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
