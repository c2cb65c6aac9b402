import { execFileSync, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { BatonError } from "../../errors.js";
import type { ProcessRef } from "./team-record.js";

/**
 * When a process started, as the system tells it: on Linux the start time in
 * clock ticks since boot (/proc/PID/stat, field 22), elsewhere `ps`'s
 * lstart. Undefined when no such process runs (or it is a zombie, which has
 * ended and waits only for its parent to read its status). Two processes that
 * get the same pid in turn never share a start time, so a pid written in
 * team.json is only ever taken for the process baton started.
 */
export function processStarted(pid: number): string | undefined {
  if (process.platform === "linux") {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      return undefined;
    }
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") return undefined;
    return fields[19];
  }
  try {
    const out = execFileSync("ps", ["-o", "stat=,lstart=", "-p", String(pid)], { encoding: "utf8" }).trim();
    if (!out || out.startsWith("Z")) return undefined;
    return out.slice(out.indexOf(" ") + 1).trim();
  } catch {
    return undefined;
  }
}

/**
 * Whether the process baton started still runs (not a later one with its pid).
 * Only a real pid and a start time qualify: 0 or a negative pid would make
 * signalProcess's `kill(-pid)` reach baton's own group or every process, and
 * a missing start time would match the undefined of a pid that runs nothing.
 */
export function processRuns(ref: ProcessRef): boolean {
  if (!Number.isSafeInteger(ref.pid) || ref.pid < 2) return false;
  if (typeof ref.started !== "string" || ref.started === "") return false;
  return processStarted(ref.pid) === ref.started;
}

/**
 * Signals the process's whole group (it was started as a group's leader, so
 * what it started goes with it), but only while it is still the process baton
 * started. Returns whether a signal went out.
 */
export function signalProcess(ref: ProcessRef, signal: NodeJS.Signals): boolean {
  if (!processRuns(ref)) return false;
  try {
    process.kill(-ref.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a long-running program without a terminal: its own session and
 * process group (so a signal to the group reaches what it starts, and nothing
 * of ours), stdin closed, stdout and stderr appended to `log`, and not waited
 * for: it outlives the command that started it (`baton up` returns at once).
 */
export function startDetached(
  argv: string[],
  options: { cwd: string; env: Record<string, string>; log: string },
): ProcessRef {
  mkdirSync(dirname(options.log), { recursive: true });
  const out = openSync(options.log, "a");
  try {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", out, out],
      detached: true,
    });
    // A program that cannot start (ENOENT) has no pid; its error event would otherwise be thrown.
    child.once("error", () => undefined);
    child.unref();
    if (child.pid === undefined)
      throw new BatonError(
        "invalid_state",
        `could not start ${argv[0]} (in ${options.cwd})`,
        `check that ${argv[0]} is installed and on PATH; its output, if any, is in ${options.log}`,
        { argv },
      );
    // One that ended already (it failed at once) is recorded as ended: the supervisor sees it dead.
    return { pid: child.pid, started: processStarted(child.pid) ?? "ended" };
  } finally {
    closeSync(out);
  }
}
