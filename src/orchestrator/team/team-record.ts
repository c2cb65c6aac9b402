import { existsSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BatonError, clip } from "../../errors.js";
import { writeTextAtomic } from "../../util/write-atomic.js";
import { withTeamLock } from "./team-lock.js";
import { teamRecordFault } from "./team-record-shape.js";

/** One agent of a team started by `baton up`: what it runs, where, and what became of it. */
export interface TeamAgent {
  name: string;
  /** The host adapter's name (claude, codex, gemini, pi, aider, sim) or "command" for any other program. */
  host: string;
  /** The argv its window runs (never a shell string). */
  command: string[];
  role: string;
  /** Its worktree (absolute), or the main checkout with --shared-tree. */
  cwd: string;
  /** Its branch, or null in the shared tree. */
  branch: string | null;
  /** What baton gives its process on top of the starter's environment (BATON_AGENT, BATON_PORT, PATH): a restart gets the same. */
  env: Record<string, string>;
  /** Its tmux pane (`%N`): ids stay when a person renames a window. Null for a headless agent. */
  paneId: string | null;
  /** A headless agent's process (its own process group), with the start time that tells it from a later process given the same pid. */
  process: ProcessRef | null;
  /** The team's run script beside it (a dev server on BATON_PORT): its tmux pane, or its process when headless; null without one. */
  runPaneId: string | null;
  runProcess: ProcessRef | null;
  /** The first of its block of ten ports (BATON_PORT … BATON_PORT+9). */
  port: number;
  /** When its current process started (`up`, or the supervisor's last restart). */
  startedAt: number;
  /**
   * What its host was expected to ask the human before its session starts (a
   * folder to trust, an API key to accept), read by `up` from the host's own
   * settings: while the agent has said nothing since it started, it waits for them.
   */
  firstRun?: string[];
  /** Restarts by the supervisor since `up`. */
  restarts: number;
  /** Set when a human stopped it: the supervisor never restarts such an agent. */
  stoppedAt: number | null;
  /** A stop asked of it (baton stop, stop_agent): the hub's supervisor sees it through (stop-agent.ts). */
  stop: StopRequest | null;
  /** Who started it into a running team (baton spawn, spawn_agent, delegate); null for one `baton up` started. */
  spawnedBy: string | null;
}

/** A process baton started: its pid, and when it started (`ps`'s clock), so a reused pid is never taken for it. */
export interface ProcessRef {
  pid: number;
  started: string;
}

/**
 * A stop in progress. It is asked first (a message the agent reads), and the
 * agent confirms by leaving the team; at `deadline`, or once it confirmed,
 * baton asks its host to quit (`quitAt`) and ends what is still running
 * GRACE later. Kept in the record, so whoever looks next (the hub's
 * supervisor, `baton stop` waiting) carries it on.
 */
export interface StopRequest {
  at: number;
  by: string;
  reason: string | null;
  deadline: number;
  /** When its host was told to quit (quit keys, SIGTERM); null while baton still waits for it to leave. */
  quitAt: number | null;
  /** It left the team (or ended) on its own before the deadline. */
  confirmed: boolean;
}

/**
 * What `baton up` started, kept in `.baton/team.json` so every later command
 * (status, nudge, down, cleanup, the hub's supervisor) knows the team without
 * asking tmux to remember it. tmux stays the truth about which panes live.
 */
export interface TeamRecord {
  version: 1;
  /** The tmux session, or null for a headless team. */
  session: string | null;
  /** The tmux server's socket when not the user's default (tests, isolation). */
  tmuxSocket: string | null;
  root: string;
  createdAt: number;
  /** Each agent in a worktree of its own (false: --shared-tree, all in the main checkout); a spawned agent gets the same. */
  worktrees: boolean;
  /** The baton CLI script the team was started with: the hub, simulated agents and spawned agents run it. */
  cli: string;
  /** A headless team's hub (baton serve), when `up` started one; null in tmux (the hub is window 0) or when a hub already ran. */
  hub: ProcessRef | null;
  agents: TeamAgent[];
}

export function teamRecordPath(root: string): string {
  return join(root, ".baton", "team.json");
}

export function readTeamRecord(root: string): TeamRecord | undefined {
  let text: string;
  try {
    text = readFileSync(teamRecordPath(root), "utf8");
  } catch {
    return undefined;
  }
  let fault: string | undefined;
  let record: TeamRecord | undefined;
  try {
    record = JSON.parse(text) as TeamRecord;
    fault =
      teamRecordFault(record) ??
      (sameFolder(record.root, root) ? undefined : "root: another folder") ??
      outsideFault(record);
  } catch {
    fault = "not JSON";
  }
  if (fault !== undefined)
    throw new BatonError(
      "invalid_input",
      `${teamRecordPath(root)} is damaged (${clip(fault, 120)})`,
      "baton down --force stops the team's tmux session and removes the damaged record (a copy is kept beside it)",
    );
  return withDefaults(record!);
}

/** An agent whose folder is neither the main checkout nor one of its worktrees: none baton made. */
function outsideFault(record: TeamRecord): string | undefined {
  const roots = [record.root, realpathSync(record.root)];
  const inside = (cwd: string) =>
    roots.some((root) => cwd === root || cwd.startsWith(`${join(root, ".baton", "worktrees")}/`));
  const i = record.agents.findIndex((agent) => !inside(agent.cwd) || agent.cwd.includes("/../"));
  return i === -1 ? undefined : `agents.${i}.cwd: outside the repository`;
}

/** The record names the repository it lies in: one copied from elsewhere would steer another tree's agents. */
function sameFolder(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** A record written before a field existed reads as if the field had its empty value. */
function withDefaults(record: TeamRecord): TeamRecord {
  return {
    ...record,
    cli: record.cli ?? process.argv[1] ?? "",
    worktrees: record.worktrees ?? record.agents.some((a) => a.branch !== null),
    hub: record.hub ?? null,
    agents: record.agents.map((a) => ({
      ...a,
      process: a.process ?? null,
      runPaneId: a.runPaneId ?? null,
      runProcess: a.runProcess ?? null,
      stop: a.stop ?? null,
      spawnedBy: a.spawnedBy ?? null,
    })),
  };
}

export function writeTeamRecord(record: TeamRecord): void {
  withTeamLock(record.root, () =>
    writeTextAtomic(teamRecordPath(record.root), `${JSON.stringify(record, null, 2)}\n`),
  );
}

export function removeTeamRecord(root: string): void {
  if (existsSync(teamRecordPath(root)))
    withTeamLock(root, () => rmSync(teamRecordPath(root), { force: true }));
}

/**
 * Changes the record as it is on disk now: read, changed and written under
 * the team's lock (team-lock.ts), so a change made meanwhile by another
 * process (the hub's supervisor, a lead spawning a teammate) is kept rather
 * than overwritten with an older copy. `change` may throw to refuse: nothing
 * is written then. Returns the record written, or undefined when there is none.
 */
export function updateTeamRecord(
  root: string,
  change: (record: TeamRecord) => TeamRecord,
): TeamRecord | undefined {
  // No team, nothing to change: and no lock file left in a repository that never ran one.
  if (!existsSync(teamRecordPath(root))) return undefined;
  return withTeamLock(root, () => {
    const record = readTeamRecord(root);
    if (!record) return undefined;
    const changed = change(record);
    writeTeamRecord(changed);
    return changed;
  });
}

/** updateTeamRecord for one agent's fields. */
export function updateTeamAgent(
  root: string,
  name: string,
  change: Partial<TeamAgent>,
): TeamRecord | undefined {
  return updateTeamRecord(root, (record) => withAgent(record, name, change));
}

/** The record with one agent changed (by name); the rest untouched. */
export function withAgent(record: TeamRecord, name: string, change: Partial<TeamAgent>): TeamRecord {
  return { ...record, agents: record.agents.map((a) => (a.name === name ? { ...a, ...change } : a)) };
}

/**
 * Whether the hub has seen the agent (a hook, a tool call: its lastSeenAt in
 * `seen`) since its current process started; null when nobody said who was seen.
 * Until then its host is starting, or shows the human a screen of its own.
 */
export function heardSince(
  agent: Pick<TeamAgent, "name" | "startedAt">,
  seen?: ReadonlyMap<string, number>,
): boolean | null {
  if (!seen) return null;
  return (seen.get(agent.name) ?? Number.NEGATIVE_INFINITY) >= agent.startedAt;
}
