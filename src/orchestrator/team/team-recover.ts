import { renameSync } from "node:fs";
import { teamSessionName } from "../tmux/session-name.js";
import type { Tmux } from "../tmux/tmux.js";
import { ensureIgnored } from "../worktrees/ignore.js";
import { teamRecordPath } from "./team-record.js";

export interface Recovered {
  /** The tmux session named for the repository, killed; null when none ran. */
  session: string | null;
  /** Where the damaged record was moved. */
  savedAs: string;
}

/**
 * `baton down --force` with a damaged .baton/team.json: what the record would
 * have said cannot be read, but the team's tmux session is named for the
 * repository, so that session is ended if it runs; the damaged record is
 * moved aside (`team.json.damaged-<time>`, kept for a person to read), so the
 * next `baton up` starts clean.
 */
export async function recoverDamagedTeam(root: string, tmux: Tmux, now: number): Promise<Recovered> {
  const session = teamSessionName(root);
  const running = (await tmux.available()) !== undefined && (await tmux.hasSession(session));
  const killed = running && (await tmux.killSession(session));
  const path = teamRecordPath(root);
  const savedAs = `${path}.damaged-${new Date(now).toISOString().replace(/[:.]/g, "-")}`;
  renameSync(path, savedAs);
  ensureIgnored(root, "team.json.damaged-*", "damaged team records moved aside by baton down --force");
  return { session: killed ? session : null, savedAs };
}
