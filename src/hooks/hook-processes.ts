import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { sleep } from "../util/sleep.js";

/**
 * Every process a hook started, however it tried to leave. A process group is
 * not enough: `setsid` or a double fork puts a child outside it, and that child
 * keeps running (and keeps baton's output pipe open) after the timeout. So a
 * hook's processes are, on Linux:
 *
 * - the members of its session and process group (the hook is spawned detached,
 *   so its pid is both ids);
 * - every process whose environment carries the hook's run marker
 *   (BATON_HOOK_RUN=<random id>): `setsid`, double forks and daemons inherit it;
 * - every process holding the hook's stdin, stdout or stderr (which catches a
 *   child that also cleared its environment, as `env -i` does).
 *
 * Only a process that leaves the session, clears its environment and closes its
 * inherited descriptors gets away (a real daemon; a cgroup would be needed to
 * hold it), or one that sheds session and marker before baton has seen the
 * hook's descriptors (a hook whose own process is gone within a millisecond).
 * Elsewhere than Linux there is no /proc and only the process group is
 * signalled.
 */
export class HookProcesses {
  private readonly linux = existsSync("/proc/self/stat");
  private readonly markerBytes: Buffer;
  /**
   * The hook's start, in clock ticks since boot, as /proc/<pid>/stat gives it:
   * whatever started before cannot be the hook's, so its environment and
   * descriptors need not be read (a scan of ~140 processes: 18 → 2 ms here).
   */
  private readonly startedAt: number;

  constructor(
    /** The hook's own pid: its session and process group id too. */
    private readonly leader: number | undefined,
    marker: string,
    /**
     * The hook's stdin, stdout and stderr as /proc names them (stdioNames), read
     * at spawn and learnt from every member found since: a hook that is done
     * within a millisecond may be gone before its own can be read.
     */
    private readonly stdio: Set<string>,
  ) {
    this.markerBytes = Buffer.from(marker);
    this.startedAt = this.leader === undefined ? 0 : (statFields(this.leader)?.startedAt ?? 0);
  }

  /** The pids of the hook's live processes (zombies excluded), or null where /proc cannot tell. */
  list(): number[] | null {
    if (!this.linux) return null;
    const found: number[] = [];
    let names: string[];
    try {
      names = readdirSync("/proc");
    } catch {
      return null;
    }
    for (const name of names) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      if (pid === process.pid) continue;
      if (this.isOurs(pid)) found.push(pid);
    }
    return found;
  }

  private isOurs(pid: number): boolean {
    try {
      const stat = statFields(pid);
      if (!stat || stat.startedAt < this.startedAt) return false;
      if (stat.state === "Z" || stat.state === "X") return false; // already dead, only waiting to be reaped
      const member =
        (this.leader !== undefined && (stat.pgrp === this.leader || stat.session === this.leader)) ||
        readFileSync(`/proc/${pid}/environ`).includes(this.markerBytes);
      if (member) {
        // What a member reads and writes, its children may hold after they shed session and marker.
        for (const name of stdioNames(pid)) this.stdio.add(name);
        return true;
      }
      if (this.stdio.size === 0) return false;
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        if (this.stdio.has(safeReadlink(`/proc/${pid}/fd/${fd}`))) return true;
      }
      return false;
    } catch {
      return false; // gone meanwhile, or another user's process
    }
  }

  /** Whether anything of the hook still runs: from /proc, or where there is none, from its process group. */
  private anyAlive(pids: number[] | null): boolean {
    if (pids) return pids.length > 0;
    if (this.leader === undefined) return false;
    try {
      process.kill(-this.leader, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Whether anything of the hook still runs. */
  alive(): boolean {
    return this.anyAlive(this.list());
  }

  /** Sends `signal` to the group and to every process found; returns how many were found. */
  signal(signal: NodeJS.Signals): number {
    const pids = this.list() ?? [];
    if (this.leader !== undefined) trySignal(-this.leader, signal);
    for (const pid of pids) trySignal(pid, signal);
    return pids.length;
  }

  /**
   * Ends them all: SIGTERM (with SIGCONT, so a stopped process can act on it),
   * each process once, then SIGKILL to whatever is left once `graceMs` has
   * passed. Done only when two scans in a row find nothing: a process that forks
   * and exits between the listing of /proc and the reading of its entry can hide
   * its child from one scan. Returns how many processes were seen. Bounded:
   * `graceMs` plus a few rounds of SIGKILL.
   */
  async end(graceMs: number): Promise<number> {
    const told = new Set<number>();
    const deadline = performance.now() + graceMs;
    for (let quiet = 0, first = true; ; first = false) {
      const pids = this.list();
      for (const pid of pids ?? []) {
        if (told.has(pid)) continue; // a second SIGTERM is, to many tools, "stop now"
        told.add(pid);
        trySignal(pid, "SIGTERM");
        trySignal(pid, "SIGCONT");
      }
      // The group too, once, after the scan (so what it ends has been counted): it reaches members /proc cannot show.
      if (first && this.leader !== undefined) {
        trySignal(-this.leader, "SIGTERM");
        trySignal(-this.leader, "SIGCONT");
      }
      const alive = this.anyAlive(pids);
      quiet = alive ? 0 : quiet + 1;
      if (quiet === 2) return told.size;
      if (performance.now() >= deadline) break;
      await sleep(alive ? Math.min(50, Math.max(0, deadline - performance.now())) : 1);
    }
    for (let round = 0; round < 5; round++) {
      const pids = this.list();
      if (this.leader !== undefined) trySignal(-this.leader, "SIGKILL");
      for (const pid of pids ?? []) {
        told.add(pid);
        trySignal(pid, "SIGKILL");
      }
      if (!this.anyAlive(pids)) break;
      await sleep(20);
    }
    return told.size;
  }
}

/** The fields of /proc/<pid>/stat that tell whose a process is, or null when it is gone. */
function statFields(pid: number): { state: string; pgrp: number; session: number; startedAt: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return null;
  }
  // After the command name (which may hold spaces and parentheses): state ppid pgrp session ... field 22 starttime.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return {
    state: fields[0]!,
    pgrp: Number(fields[2]),
    session: Number(fields[3]),
    startedAt: Number(fields[19]),
  };
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}

/**
 * The names (`socket:[inode]`, `pipe:[inode]`) of a just-spawned child's stdin,
 * stdout and stderr, read from /proc: whoever else holds one of them later got
 * it from the hook. Node's stdio "pipes" are socket pairs, whose two ends have
 * different inodes, so it is the child's ends that must be named, not ours.
 * Read right after spawn, when the child has just exec'd with them in place.
 */
export function stdioNames(pid: number | undefined): Set<string> {
  const names = new Set<string>();
  if (pid === undefined) return names;
  for (const fd of [0, 1, 2]) {
    const link = safeReadlink(`/proc/${pid}/fd/${fd}`);
    if (link.startsWith("pipe:") || link.startsWith("socket:")) names.add(link);
  }
  return names;
}
