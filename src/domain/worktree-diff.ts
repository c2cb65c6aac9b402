/** What an agent's worktree holds that the main checkout does not, as `git diff` prints it. */
export interface WorktreeDiff {
  agent: string;
  /** `.baton/worktrees/<name>`, from the repository's root. */
  worktree: string;
  /** `refs/heads/baton/<name>`, or null on a detached HEAD. */
  branch: string | null;
  head: string | null;
  /** Where the worktree's branch left the main checkout's HEAD; null when their histories share nothing. */
  base: string | null;
  /** Commits on the branch since `base`. */
  committed: string;
  /** Staged and unstaged changes to tracked files, then each new (untracked) file. */
  uncommitted: string;
  /** New files listed but not shown: past the count shown, or not a regular file (a symlink). */
  untrackedNotShown: string[];
  /** Why the diff stops early, in words; null when it is whole. */
  cut: string | null;
}
