import { statSync } from "node:fs";
import { resolve } from "node:path";
import { isGlob } from "../../domain/lease-pattern.js";
import type { Lease } from "../../domain/types.js";
import { isBatonError } from "../../errors.js";
import type { Workspace } from "../../services/workspace.js";
import { formatDuration } from "../../util/duration.js";
import { repositoryFile, toWorkspacePattern } from "../../workspace/workspace-path.js";
import { LAUNCHER } from "../instructions.js";
import { editTargets } from "./edit-targets.js";

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
export async function heldFiles(ws: Workspace, input: Record<string, unknown>): Promise<HeldFile[]> {
  const { writes } = editTargets(input);
  const cwd = typeof input.cwd === "string" && input.cwd ? input.cwd : process.cwd();
  const held: HeldFile[] = [];
  for (const write of writes) {
    const scope = { ...ws.paths, cwd: resolve(cwd, write.cwd) };
    const pattern = placed(write.path, write.below === true, scope);
    if (!pattern) continue;
    const leases = await ws.leases.overlapping(pattern);
    const other = leases.find((lease) => lease.exclusive && lease.holder !== ws.identity);
    if (other) held.push({ file: pattern, lease: other });
  }
  return held;
}

/** The repository pattern for a written path; undefined when it is not the repository's to guard. */
function placed(path: string, below: boolean, scope: Workspace["paths"]): string | undefined {
  try {
    if (isGlob(path)) return toWorkspacePattern(path, scope);
    const file = repositoryFile(path, scope);
    if (!file || file.rel === "") return undefined;
    const folder = below && isFolder(resolve(file.treeRoot, file.rel));
    return folder ? `${file.rel}/**` : file.rel;
  } catch (error) {
    if (isBatonError(error) && error.code !== "internal") return undefined; // outside, or a path that is no path
    throw error;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Why the edit is refused, worded for the model: with baton's MCP tools, or with the CLI (pi). */
export function denyReason(held: HeldFile[], now: number, tools: "mcp" | "cli"): string {
  const lines = held.map(({ file, lease }) => {
    const why = [lease.path !== file ? `lease on ${lease.path}` : "", lease.intent ?? ""].filter(Boolean);
    const intent = why.length ? ` (${why.join(": ")})` : "";
    return `${file} is locked by ${lease.holder}${intent} for ${formatDuration(lease.expiresAt - now)} more.`;
  });
  const holders = [...new Set(held.map((h) => h.lease.holder))];
  const ask =
    tools === "mcp"
      ? `send_message to ${holders.join(", ")}. Lock files before editing them (lock_files) to avoid this.`
      : `${LAUNCHER} send ${holders[0]} "...". Lock files before editing them (${LAUNCHER} lock PATH) to avoid this.`;
  return `${lines.join(" ")} The edit was not made. Work on something else, or ask them: ${ask}`;
}
