import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BATON_DIR } from "../../workspace/config-file.js";
import { findTree } from "../../workspace/find-root.js";
import { gitSucceeds } from "./git.js";
import { WORKTREES_DIR } from "./paths.js";

/**
 * Makes sure the main checkout's git ignores `.baton/worktrees/`. Unignored,
 * each agent's tree shows in `git status` as an untracked folder, and a
 * `git add -A` there would commit it as an embedded repository. `baton init`
 * writes the pattern in `.baton/.gitignore`; a repository set up before that
 * gets it in `.git/info/exclude`, which is local and never committed, so
 * making a worktree never leaves a change to commit in the main checkout.
 * Returns whether it had to add it.
 */
export function ensureWorktreesIgnored(root: string): boolean {
  return ensureIgnored(root, `${WORKTREES_DIR}/`, "the agents' worktrees (baton up, baton cleanup)");
}

/**
 * The same for any of baton's local files under `.baton/` (`name` ends in `/`
 * for a folder): the team record, a merge train's scratch worktrees.
 */
export function ensureIgnored(root: string, name: string, what: string): boolean {
  // For a folder, a name under it rather than the folder itself: git answers for paths, existing or not.
  const probe = `${BATON_DIR}/${name}${name.endsWith("/") ? "probe" : ""}`;
  if (gitSucceeds(root, ["check-ignore", "-q", probe])) return false;
  const info = join(findTree(root).commonDir, "info");
  const exclude = join(info, "exclude");
  mkdirSync(info, { recursive: true });
  let text = "";
  try {
    text = readFileSync(exclude, "utf8");
  } catch {
    // no exclude file yet
  }
  const lead = text === "" || text.endsWith("\n") ? "" : "\n";
  appendFileSync(exclude, `${lead}# baton: ${what}\n/${BATON_DIR}/${name}\n`);
  return true;
}
