import { readFileSync, statSync } from "node:fs";
import { BatonError } from "../../errors.js";

/** A process holding a write lock on the database, as Linux reports it. */
export interface LockHolder {
  pid: number;
  /** Its command line, spaces between arguments, shortened. */
  command: string;
  /** From /proc/<pid>/stat: T = stopped (Ctrl-Z, SIGSTOP), t = stopped by a debugger, R, S, D ... */
  state: string;
}

/**
 * The processes that hold a write lock on the database (`path`, its -wal or its
 * -shm file), other than this one. Linux only: /proc/locks lists every POSIX
 * lock with its owner's pid and the file's inode; SQLite in WAL mode takes an
 * fcntl write lock on byte 120 of the -shm file for the whole of a write
 * transaction. Returns [] wherever that cannot be read.
 *
 * Matched by inode number alone: /proc/locks gives the device of the inode's
 * own file system, which on overlay file systems differs from what stat says.
 * A stray match on another file system with the same inode number could only
 * name a process that holds a lock, which is then shown, never acted on.
 */
export function writeLockHolders(path: string): LockHolder[] {
  const inodes = new Set<string>();
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      inodes.add(String(statSync(file).ino));
    } catch {
      // not there (yet)
    }
  }
  let locks: string;
  try {
    locks = readFileSync("/proc/locks", "utf8");
  } catch {
    return [];
  }
  const pids = new Set<number>();
  for (const line of locks.split("\n")) {
    // "1: POSIX  ADVISORY  WRITE 8898 fe:00:2146883 120 120"; a line with "->" is a waiter, not a holder.
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6 || fields[1] === "->" || fields[3] !== "WRITE") continue;
    const pid = Number(fields[4]);
    const inode = fields[5]!.split(":")[2];
    if (pid > 0 && pid !== process.pid && inode && inodes.has(inode)) pids.add(pid);
  }
  return [...pids].flatMap((pid) => {
    const holder = describeProcess(pid);
    return holder ? [holder] : [];
  });
}

function describeProcess(pid: number): LockHolder | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]!;
    let command = "";
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0+$/, "").split("\0").join(" ");
    } catch {
      // another user's process: the name in stat is all there is
    }
    if (!command) command = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    // A command line is arbitrary bytes: keep it printable and short for an error message.
    command = command.replace(/[\p{Cc}\p{Cf}]/gu, "?");
    if (command.length > 200) command = `${command.slice(0, 199)}…`;
    return { pid, command, state };
  } catch {
    return null; // ended meanwhile
  }
}

/** Whether a holder is stopped (job control or SIGSTOP) or halted by a debugger: it will not let go by itself. */
export function isStopped(holder: LockHolder): boolean {
  return holder.state === "T" || holder.state === "t";
}

/**
 * A write transaction here lasts milliseconds, so a lock held for seconds means
 * its holder may not be running. After this long a waiter looks at who holds it
 * (a read of /proc/locks, never on the fast path), then every CHECK_EVERY_MS.
 */
export const STALL_WATCH_AFTER_MS = 2000;
const CHECK_EVERY_MS = 250;
/** A holder seen stopped this long (over several looks) is not a debugger's single step or a brief stop. */
const CONFIRM_MS = 750;

/** Watches a long wait for the lock; throws `store_stalled` once a holder has been seen stopped for CONFIRM_MS. */
export class StallWatch {
  private nextCheck = 0;
  /** pid → how long we had waited when it was first seen stopped. */
  private readonly stoppedSince = new Map<number, number>();

  constructor(private readonly path: string) {}

  check(waitedMs: number): void {
    if (waitedMs < this.nextCheck) return;
    this.nextCheck = waitedMs + CHECK_EVERY_MS;
    const stopped = writeLockHolders(this.path).filter(isStopped);
    for (const pid of this.stoppedSince.keys()) {
      if (!stopped.some((holder) => holder.pid === pid)) this.stoppedSince.delete(pid); // it ran again
    }
    for (const holder of stopped) {
      const since = this.stoppedSince.get(holder.pid) ?? waitedMs;
      this.stoppedSince.set(holder.pid, since);
      if (waitedMs - since >= CONFIRM_MS) throw stalledError(holder, waitedMs);
    }
  }
}

function stalledError(holder: LockHolder, waitedMs: number): BatonError {
  const how = holder.state === "t" ? "halted by a debugger" : "stopped";
  const resume =
    holder.state === "t"
      ? "let the debugger continue or detach it"
      : `resume it (\`fg\` in its terminal, or \`kill -CONT ${holder.pid}\`)`;
  return new BatonError(
    "store_stalled",
    `the database is locked by process ${holder.pid} (${holder.command}), which is ${how} in the middle of a write; every write waits for it (it has held the lock for at least ${Math.floor(waitedMs / 1000)} s)`,
    `${resume}, or end it (\`kill -KILL ${holder.pid}\`: its unfinished write is rolled back, nothing committed is lost); then try again`,
    { pid: holder.pid, command: holder.command, state: holder.state, waitedMs: Math.round(waitedMs) },
  );
}
