import { BatonError, clip } from "../../errors.js";
import { gitSucceeds, runGit } from "../worktrees/git.js";
import { registeredWorktrees } from "../worktrees/registered.js";

/** The branch a merge train lands on, and where it stands now. */
export interface MergeTarget {
  /** `main`, as typed or as the main checkout has it. */
  branch: string;
  /** `refs/heads/main`. */
  ref: string;
  /** Its commit before the train: the ref moves only if it still points here. */
  tip: string;
  /** It is the main checkout's branch: a merge updates that checkout's files too. */
  checkedOutInMain: boolean;
}

/**
 * The target of a merge: `into`, or the branch checked out in the main
 * checkout. Refused when it does not exist, when the main checkout is on no
 * branch and none is named, and when another worktree has it checked out:
 * moving a branch under a worktree would leave that worktree's files and index
 * describing the old commit, and git itself refuses to.
 */
export function resolveTarget(root: string, into?: string, options: { toRead?: boolean } = {}): MergeTarget {
  const branch = into === undefined ? currentBranch(root) : into.replace(/^refs\/heads\//, "");
  const ref = `refs/heads/${branch}`;
  if (
    !gitSucceeds(root, ["check-ref-format", ref]) ||
    !gitSucceeds(root, ["rev-parse", "--verify", "-q", ref])
  ) {
    throw new BatonError(
      "not_found",
      `there is no branch '${clip(branch)}' to merge into`,
      "name an existing branch with --into (git branch lists them), or create it first: git branch NAME",
      { target: branch },
    );
  }
  const tip = runGit(root, ["rev-parse", "--verify", `${ref}^{commit}`]);
  const holders = registeredWorktrees(root).filter((worktree) => worktree.branch === ref);
  const elsewhere = holders.find((worktree) => worktree.path !== root);
  // Only reading (baton conflicts): a target checked out elsewhere is a reason a merge is refused, not one not to look.
  if (elsewhere && !options.toRead) {
    throw new BatonError(
      "conflict",
      `${branch} is checked out in another worktree, ${elsewhere.path}: git will not move a branch under a worktree that has it checked out`,
      `switch that worktree to another branch (git -C ${elsewhere.path} switch --detach) or check ${branch} out in the main checkout, then run it again; or merge into another branch with --into`,
      { target: branch, worktree: elsewhere.path },
    );
  }
  return { branch, ref, tip, checkedOutInMain: holders.length > 0 };
}

/**
 * Refuses a main checkout with uncommitted changes to tracked files when the
 * train would update its files: git would carry them over or refuse half-way,
 * and they are a person's work either way. Untracked files are let be; one a
 * merged file would overwrite makes the final fast-forward fail, touching nothing.
 */
export function refuseDirtyCheckout(root: string, target: MergeTarget): void {
  if (!target.checkedOutInMain) return;
  // Staged and unstaged alike: the work tree and index against HEAD.
  const changed = runGit(root, ["diff", "--name-only", "-z", "HEAD", "--"]).split("\0").filter(Boolean);
  if (changed.length === 0) return;
  throw new BatonError(
    "conflict",
    `the main checkout has uncommitted changes (${changed.slice(0, 5).join(", ")}${changed.length > 5 ? ` and ${changed.length - 5} more` : ""}): merging into ${target.branch}, which it has checked out, would have to change its files under them`,
    `commit or stash them (git stash), then run it again; or try it first with --dry-run, which touches nothing`,
    { target: target.branch, changes: changed },
  );
}

function currentBranch(root: string): string {
  try {
    return runGit(root, ["symbolic-ref", "-q", "--short", "HEAD"]);
  } catch {
    throw new BatonError(
      "invalid_state",
      "the main checkout is on no branch (a detached HEAD): there is no default branch to merge into",
      "name the branch with --into, e.g. baton merge --all --into main",
    );
  }
}
