import { resolve } from "node:path";
import type { Lease } from "../../domain/types.js";
import { isBatonError } from "../../errors.js";
import type { Workspace } from "../../services/workspace.js";
import { formatDuration } from "../../util/duration.js";
import { isDirectory } from "../../workspace/real-path.js";
import { repositoryFile, toWorkspacePattern, WHOLE_WORKSPACE } from "../../workspace/workspace-path.js";
import { LAUNCHER } from "../instructions.js";
import type { ShellWrite } from "./shell-writes.js";

/** An edit the guard refuses: the file as the repository names it, and the lease that holds it. */
export interface HeldFile {
  file: string;
  lease: Lease;
}

/**
 * The files a tool call would write that another agent holds an exclusive
 * lease on. Each path is placed in the repository as the lease was (its real
 * path, relative to the worktree that holds it), so an edit through a symlink,
 * from another worktree or from a subfolder meets the same lease.
 */
export async function heldFiles(ws: Workspace, writes: ShellWrite[], cwd: string): Promise<HeldFile[]> {
  const held: HeldFile[] = [];
  const seen = new Set<string>();
  for (const write of writes) {
    const scope = { ...ws.paths, cwd: resolve(cwd, write.cwd) };
    for (const pattern of placed(write, scope)) {
      if (seen.has(pattern)) continue;
      seen.add(pattern);
      const leases = await ws.leases.overlapping(pattern);
      const other = leases.find((lease) => lease.exclusive && lease.holder !== ws.identity);
      if (other) held.push({ file: pattern, lease: other });
    }
  }
  return held;
}

/**
 * The repository patterns a write touches; none when it is not the
 * repository's to guard. A file tool's path is a name as it stands; a shell
 * word with wildcards is a glob (`[...]` read as one character either way); a
 * folder removed or moved covers what is below it; a copy into an existing
 * folder lands on the name inside it.
 */
function placed(write: ShellWrite, scope: Workspace["paths"]): string[] {
  try {
    // `rm -r *` or `rm -r .` reaches every file: such a pattern is refused for a lease, not for the guard.
    if (!write.literal && /[*?[]/.test(write.path))
      return [toWorkspacePattern(write.path.replace(/\[[^\]/]*\]/g, "?"), scope, { wholeWorkspace: true })];
    const file = repositoryFile(write.path, scope);
    if (!file) return [];
    if (file.rel === "") return write.below ? [WHOLE_WORKSPACE] : [];
    const folder = isDirectory(resolve(file.treeRoot, file.rel));
    if (folder && write.into)
      return write.into.map((source) => `${file.rel}/${source.replace(/\/+$/, "").split("/").pop()}`);
    return [folder && write.below ? `${file.rel}/**` : file.rel];
  } catch (error) {
    if (isBatonError(error) && error.code !== "internal") return []; // outside, or a path that is no path
    throw error;
  }
}

const LISTED = 5;

/** Why the edit is refused, worded for the model: with baton's MCP tools, or with the CLI (pi). */
export function denyReason(
  held: HeldFile[],
  now: number,
  tools: "mcp" | "cli",
  identity: string | undefined,
): string {
  const lines = held.slice(0, LISTED).map(({ file, lease }) => {
    const why = [lease.path !== file ? `lease on ${lease.path}` : "", lease.intent ?? ""].filter(Boolean);
    const intent = why.length ? ` (${why.join(": ")})` : "";
    return `${file} is locked by ${lease.holder}${intent} for ${formatDuration(lease.expiresAt - now)} more.`;
  });
  const holders = [...new Set(held.map((h) => h.lease.holder))];
  const ask =
    tools === "mcp"
      ? `send_message to ${holders.join(", ")}. Lock files before editing them (lock_files) to avoid this.`
      : `${LAUNCHER} send ${holders[0]} "...". Lock files before editing them (${LAUNCHER} lock PATH) to avoid this.`;
  if (held.length > LISTED) lines.push(`And ${held.length - LISTED} more.`);
  // Without a name every lease is someone else's, the caller's own included: say so.
  const who = identity
    ? ""
    : " (baton does not know which agent you are: the session has no BATON_AGENT and its worktree has no agent; run baton connect there.)";
  return `${lines.join(" ")} The edit was not made.${who} Work on something else, or ask them: ${ask}`;
}
