import { lstatSync, mkdirSync, mkdtempSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BatonError } from "../../errors.js";
import { BATON_DIR } from "../../workspace/config-file.js";
import { runGit } from "../worktrees/git.js";
import { ensureIgnored } from "../worktrees/ignore.js";

/** `.baton/merging`: where a merge train's scratch worktrees live while it runs. */
export const MERGING_DIR = "merging";

/**
 * Runs `work` in a worktree of its own, detached at `start`, and removes it
 * after, whatever happened. A merge that conflicts leaves its half-merged
 * files here, never in the main checkout or on a branch: no ref moves until
 * the caller says so. Detached, so the target branch stays free to be
 * checked out or moved meanwhile. Under `.baton/`, on the repository's own
 * disk; if baton is killed, `git worktree remove --force` on the folder left
 * there cleans it up.
 */
export async function withScratchWorktree<T>(
  root: string,
  start: string,
  work: (path: string) => Promise<T>,
): Promise<T> {
  const dir = join(root, BATON_DIR, MERGING_DIR);
  for (const folder of [join(root, BATON_DIR), dir]) refuseLink(folder);
  mkdirSync(dir, { recursive: true });
  refuseLink(dir);
  ensureIgnored(root, `${MERGING_DIR}/`, "a merge train's scratch worktrees (baton merge)");
  const path = mkdtempSync(join(dir, "train-"));
  try {
    runGit(root, ["worktree", "add", "-q", "--detach", path, start]);
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    throw error;
  }
  try {
    return await work(path);
  } finally {
    runGit(root, ["worktree", "remove", "--force", path]);
    rmSync(path, { recursive: true, force: true });
    try {
      rmdirSync(dir); // only when empty: another train may be running beside this one
    } catch {
      // not empty, or gone
    }
  }
}

function refuseLink(path: string): void {
  let linked = false;
  try {
    linked = lstatSync(path).isSymbolicLink();
  } catch {
    return; // not there yet
  }
  if (linked) {
    throw new BatonError(
      "outside_workspace",
      `${path} is a symlink: baton merges only in its own folder, and does not follow links out of it`,
      `remove the link (rm ${path}, which leaves what it points at alone), then run it again`,
    );
  }
}
