import { spawn } from "node:child_process";
import { MAX_TIMER_MS } from "../util/sleep.js";

export interface HookOutcome {
  argv: string[];
  /** Exit code; null when killed or not started. */
  code: number | null;
  timedOut: boolean;
  /** Could not start (command not found ...). */
  startError: string | null;
  /** stdout and stderr interleaved, the last 16 KiB. */
  output: string;
  ms: number;
}

const KEEP_OUTPUT = 16 * 1024;
const KILL_GRACE_MS = 2000;

/**
 * Runs one hook: argv (never a shell), the event as JSON on stdin, a timeout
 * after which it gets SIGTERM and then SIGKILL. The hook runs in its own process
 * group so a timeout also stops what it started (a test runner's workers).
 */
export function runHook(
  argv: string[],
  event: unknown,
  options: { cwd: string; timeoutMs: number },
): Promise<HookOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let output = "";
    let timedOut = false;
    let startError: string | null = null;
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
      env: { ...process.env, BATON_HOOK_EVENT: (event as { type?: string }).type ?? "" },
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-KEEP_OUTPUT);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const signal = (name: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, name);
      } catch {
        // already gone
      }
    };
    // Past the timer limit Node fires at once: clamped, a long timeout stays long, never instant.
    const timer = setTimeout(
      () => {
        timedOut = true;
        signal("SIGTERM");
        setTimeout(() => signal("SIGKILL"), KILL_GRACE_MS).unref();
      },
      Math.min(options.timeoutMs, MAX_TIMER_MS),
    );
    child.on("error", (error) => {
      startError = error.message;
    });
    child.stdin.on("error", () => {}); // a hook that does not read stdin closes it early
    child.stdin.end(`${JSON.stringify(event)}\n`);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ argv, code, timedOut, startError, output, ms: performance.now() - started });
    });
  });
}

/** One line saying how a hook ended, for remarks and notes. */
export function describeOutcome(outcome: HookOutcome): string {
  const command = outcome.argv.join(" ");
  if (outcome.startError) return `\`${command}\` could not start: ${outcome.startError}`;
  if (outcome.timedOut)
    return `\`${command}\` timed out after ${Math.round(outcome.ms / 1000)} s and was stopped`;
  return `\`${command}\` exited with code ${outcome.code}`;
}

export function succeeded(outcome: HookOutcome): boolean {
  return outcome.code === 0 && !outcome.timedOut && outcome.startError === null;
}
