import { join } from "node:path";
import { withFileLock } from "../../util/file-lock.js";

export function teamLockPath(root: string): string {
  return join(root, ".baton", "team.lock");
}

/**
 * Runs `change` while no other process changes this team's record: several
 * processes write `.baton/team.json` (the hub's supervisor, `baton spawn`,
 * `baton stop`, a lead's spawn_agent), each as read, change, write. Without a
 * lock two of them read the same record and the second write drops the
 * first's change: a hostile run started six spawns at once and got two
 * agents named sim-2 (one window in no record, never stopped), a port
 * conflict and a git error.
 */
export function withTeamLock<T>(root: string, change: () => T): T {
  return withFileLock(teamLockPath(root), "the team's lock", change);
}
