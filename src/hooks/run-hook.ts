import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { MAX_TIMER_MS } from "../util/sleep.js";
import { HookProcesses, stdioNames } from "./hook-processes.js";
import { OutputTail } from "./output-tail.js";
import { reserveHook, trackHook } from "./running-hooks.js";

export interface HookOutcome {
  argv: string[];
  /** Exit code; null when killed or not started. */
  code: number | null;
  timedOut: boolean;
  /** Could not start (command not found ...). */
  startError: string | null;
  /** stdout and stderr interleaved, the last 16 KiB. */
  output: string;
  /** Processes the hook left running after it exited, which baton then ended. */
  leftovers: number;
  timeoutMs: number;
  /** The value of BATON_HOOK_RUN in the hook's environment, which marks its processes. */
  runId: string;
  ms: number;
}

const KEEP_OUTPUT = 16 * 1024;
/** Between SIGTERM and SIGKILL: time for a test runner to stop its workers. */
const KILL_GRACE_MS = 1000;
/** After the hook's processes are gone, how long its last output may take to arrive. */
const DRAIN_MS = 200;

/**
 * Runs one hook: argv (never a shell), the event as JSON on stdin, and a
 * deadline. The call returns at most KILL_GRACE_MS (+ DRAIN_MS) after the
 * timeout, whatever the hook does: it never waits for pipes that a stray child
 * holds open.
 *
 * A hook's processes end with it. At the timeout all of them get SIGTERM and,
 * a second later, SIGKILL. When the hook's own process exits (on time), what it
 * left running in the background is ended the same way, within what remains of
 * the timeout: a background child would otherwise outlive baton, hold its pipes
 * and pile up with every event. A hook that means to start a long-lived service
 * must hand it to something that owns services (systemd-run, a supervisor).
 * HookProcesses says how the processes are found; running-hooks.ts ends them
 * when baton itself is interrupted.
 */
export async function runHook(
  argv: string[],
  event: unknown,
  options: { cwd: string; timeoutMs: number; env?: Record<string, string> },
): Promise<HookOutcome> {
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const runId = randomUUID();
  const tail = new OutputTail(KEEP_OUTPUT);
  const notStarted = (message: string): HookOutcome => ({
    argv,
    code: null,
    timedOut: false,
    startError: message,
    output: "",
    leftovers: 0,
    timeoutMs: options.timeoutMs,
    runId,
    ms: performance.now() - started,
  });
  let child: ChildProcessWithoutNullStreams;
  const reserved = reserveHook();
  try {
    child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
      // Its own session and process group: signals reach everything it starts, and not baton.
      detached: true,
      env: {
        ...process.env,
        ...options.env,
        BATON_HOOK_EVENT: (event as { type?: string }).type ?? "",
        BATON_HOOK_RUN: runId,
      },
    });
  } catch (error) {
    reserved();
    return notStarted((error as Error).message); // refused before any process existed (a NUL in an argument)
  }
  const processes = new HookProcesses(child.pid, runId, stdioNames(child.pid));
  const untrack = trackHook(processes, KILL_GRACE_MS);
  reserved();
  child.stdout.on("data", tail.push);
  child.stderr.on("data", tail.push);
  child.stdin.on("error", () => {}); // a hook that does not read stdin closes it early
  child.stdin.end(`${JSON.stringify(event)}\n`);

  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const exited = new Promise<{ code: number | null; startError: string | null }>((resolve) => {
    child.once("exit", (code) => resolve({ code, startError: null }));
    child.on("error", (error) => resolve({ code: null, startError: error.message }));
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    // Past the timer limit Node fires at once: clamped, a long timeout stays long, never instant.
    timer = setTimeout(() => resolve("timeout"), Math.min(options.timeoutMs, MAX_TIMER_MS));
  });

  const first = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  const timedOut = first === "timeout";
  // On time, leftovers get what remains of the timeout to go; at the timeout, everything gets the grace.
  const grace = timedOut ? KILL_GRACE_MS : Math.min(KILL_GRACE_MS, Math.max(0, deadline - performance.now()));
  const ended = await processes.end(grace);
  untrack();
  await within(closed, DRAIN_MS);
  // Whatever still holds a pipe (a process in uninterruptible sleep) is no reason to wait: let go of our ends.
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream.destroy();
  const result = timedOut ? { code: null, startError: null } : (first as Awaited<typeof exited>);
  return {
    argv,
    code: result.code,
    timedOut,
    startError: result.startError,
    output: tail.text(),
    leftovers: timedOut ? 0 : ended,
    timeoutMs: options.timeoutMs,
    runId,
    ms: performance.now() - started,
  };
}

/** Waits for `promise`, or `ms` at most; the timer does not outlive the wait (it would hold the CLI's exit). */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** One line saying how a hook ended, for remarks and notes. */
export function describeOutcome(outcome: HookOutcome): string {
  const command = outcome.argv.join(" ");
  if (outcome.startError) return `\`${command}\` could not start: ${outcome.startError}`;
  if (outcome.timedOut) return `\`${command}\` timed out after ${seconds(outcome.timeoutMs)} and was stopped`;
  const leftovers = outcome.leftovers
    ? ` (${outcome.leftovers} process${outcome.leftovers === 1 ? "" : "es"} it left running were stopped)`
    : "";
  return `\`${command}\` exited with code ${outcome.code}${leftovers}`;
}

export function succeeded(outcome: HookOutcome): boolean {
  return outcome.code === 0 && !outcome.timedOut && outcome.startError === null;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
