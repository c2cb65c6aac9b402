import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";

/**
 * The tmux session of a repository's team: `baton-` and the first 8 hex digits of
 * the SHA-256 of the repository root's real path (as macot names its sessions).
 * The real path, so a symlinked checkout and its target share one team, and a
 * hash, so the name is short, has no `.` or `:` (tmux target separators) nor
 * `#` (a tmux format), and is the same from every worktree that passes the
 * same main root.
 */
export function teamSessionName(repoRoot: string): string {
  const real = realpathSync(repoRoot);
  return `baton-${createHash("sha256").update(real, "utf8").digest("hex").slice(0, 8)}`;
}
