import { spawn } from "node:child_process";
import { BatonError, clip } from "../../errors.js";

export interface TmuxResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A tmux command answers in milliseconds; one that takes this long has a server that stopped answering. */
const COMMAND_TIMEOUT_MS = 15_000;

export const INSTALL_HINT =
  "install tmux 3.2 or later (apt install tmux, brew install tmux, dnf install tmux); without a terminal, run agents with baton work";

/**
 * Runs the tmux client with an argv (no shell) and collects its output; `input`
 * goes to its stdin (load-buffer -). Resolves with the exit code whatever it is:
 * the caller knows which failures are answers (has-session's 1).
 */
export function runTmux(argv: readonly string[], input?: string): Promise<TmuxResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("tmux", argv, {
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      timeout: COMMAND_TIMEOUT_MS,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new BatonError("unsupported", "tmux is not installed (not found on PATH)", INSTALL_HINT)
          : error,
      );
    });
    child.on("close", (code, signal) => {
      if (signal === "SIGTERM" && code === null) {
        reject(
          new BatonError(
            "internal",
            `tmux ${commandName(argv)} did not answer within ${COMMAND_TIMEOUT_MS / 1000} s`,
            "the tmux server may be stopped or overloaded: tmux ls shows whether it answers",
          ),
        );
        return;
      }
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
    if (input !== undefined) {
      // A client that fails before reading all of it closes the pipe: the EPIPE says less than its exit code.
      child.stdin!.on("error", () => {});
      child.stdin!.end(input, "utf8");
    }
  });
}

/**
 * tmux's words for a target that does not exist (3.x): no server, no such
 * session, window or pane. A server whose last session just ended is still
 * exiting for a moment: it answers "no current target", or closes on the client.
 */
const MISSING =
  /^(no server running|error connecting to|can't find (session|window|pane)|no such session|no current target|server exited unexpectedly)/m;

/** A failed tmux command as a BatonError with a hint; `what` names the thing for the message. */
export function tmuxFailure(argv: readonly string[], result: TmuxResult, what: string): BatonError {
  const said = result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`;
  if (MISSING.test(said)) {
    return new BatonError("not_found", `${what} does not exist (tmux: ${clip(said, 200)})`, {
      cli: "baton status shows the team's agents; tmux ls lists the sessions that run",
      tool: "list the team's agents again: the window or session has ended",
    });
  }
  if (/^duplicate session/m.test(said)) {
    return new BatonError("conflict", `${what} already exists`, "attach to it, or stop it first");
  }
  return new BatonError(
    "internal",
    `tmux ${commandName(argv)} failed: ${clip(said, 300)}`,
    "check that tmux works (tmux ls); if it does, this is a bug in baton: report it with tmux -V",
  );
}

/** The first command of a tmux argv, past the client's own flags (-u, -S path, -f path). */
function commandName(argv: readonly string[]): string {
  let i = 0;
  while (argv[i]?.startsWith("-")) i += argv[i] === "-S" || argv[i] === "-f" ? 2 : 1;
  return argv[i] ?? "";
}
