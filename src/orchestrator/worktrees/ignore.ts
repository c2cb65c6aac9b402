import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BATON_DIR } from "../../workspace/config-file.js";
import { findTree } from "../../workspace/find-root.js";
import { gitSucceeds } from "./git.js";
import { WORKTREES_DIR } from "./paths.js";

const PATTERN = `/${BATON_DIR}/${WORKTREES_DIR}/`;

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
  // A name under the folder rather than the folder itself: git answers for paths, existing or not.
  if (gitSucceeds(root, ["check-ignore", "-q", `${BATON_DIR}/${WORKTREES_DIR}/probe`])) return false;
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
  appendFileSync(exclude, `${lead}# baton: the agents' worktrees (baton up, baton cleanup)\n${PATTERN}\n`);
  return true;
}
