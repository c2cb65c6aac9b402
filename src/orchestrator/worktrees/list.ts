import { lstatSync, readdirSync } from "node:fs";
import { dirname } from "node:path";
import { BatonError } from "../../errors.js";
import { worktreesDir } from "./paths.js";
import { registeredWorktrees } from "./registered.js";

/**
 * The names under `.baton/worktrees`: every entry of the folder (worktrees, and
 * anything else found there, which the caller refuses one by one) and every
 * worktree git records there whose folder is gone. Worktrees elsewhere (a
 * person's `git worktree add ../x`) are not baton's and are never listed.
 */
export function worktreeNames(root: string): string[] {
  const dir = worktreesDir(root);
  let entries: string[] = [];
  try {
    if (lstatSync(dir).isSymbolicLink()) {
      throw new BatonError(
        "outside_workspace",
        `${dir} is a symlink: baton does not follow it`,
        `remove the link (rm ${dir}, which leaves what it points at alone)`,
      );
    }
    entries = readdirSync(dir);
  } catch (error) {
    if (error instanceof BatonError) throw error;
    // no worktrees folder: only git's records can name any
  }
  const recorded = registeredWorktrees(root)
    .filter((worktree) => dirname(worktree.path) === dir)
    .map((worktree) => worktree.path.slice(dir.length + 1));
  return [...new Set([...entries, ...recorded])].sort();
}
