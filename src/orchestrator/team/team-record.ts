import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BatonError } from "../../errors.js";
import { writeTextAtomic } from "../../util/write-atomic.js";

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
  /** The first of its block of ten ports (BATON_PORT … BATON_PORT+9). */
  port: number;
  startedAt: number;
  /** Restarts by the supervisor since `up`. */
  restarts: number;
  /** Set when a human stopped it: the supervisor never restarts such an agent. */
  stoppedAt: number | null;
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
  try {
    const record = JSON.parse(text) as TeamRecord;
    if (record?.version !== 1 || !Array.isArray(record.agents)) throw new Error("unknown shape");
    return record;
  } catch {
    throw new BatonError(
      "invalid_input",
      `${teamRecordPath(root)} is damaged`,
      "stop the team's tmux session by hand (tmux ls, tmux kill-session -t NAME), then delete the file",
    );
  }
}

export function writeTeamRecord(record: TeamRecord): void {
  writeTextAtomic(teamRecordPath(record.root), `${JSON.stringify(record, null, 2)}\n`);
}

export function removeTeamRecord(root: string): void {
  rmSync(teamRecordPath(root), { force: true });
}

/** The record with one agent changed (by name); the rest untouched. */
export function withAgent(record: TeamRecord, name: string, change: Partial<TeamAgent>): TeamRecord {
  return { ...record, agents: record.agents.map((a) => (a.name === name ? { ...a, ...change } : a)) };
}
