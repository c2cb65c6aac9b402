import { BatonError } from "../../errors.js";
import { gitSucceeds, runGit } from "../worktrees/git.js";
import type { MergeTarget } from "./target.js";

/**
 * Moves the target to the train's last commit, a descendant of its old tip,
 * and only if it still is at that old tip. Checked out in the main checkout:
 * a fast-forward there (`git merge --ff-only`), which updates ref, index and
 * files together, and refuses, changing nothing, if an untracked file stands
 * where a merged one goes or if the branch moved meanwhile. Checked out
 * nowhere: `git update-ref` with the old value, a compare-and-swap.
 */
export function moveTarget(root: string, target: MergeTarget, to: string, why: string): void {
  const hint = `nothing was changed; ${target.branch} is still at ${target.tip.slice(0, 12)}: fix what git says (move an untracked file out of the way, or let the other change finish), then run it again`;
  if (target.checkedOutInMain) {
    const head = runGit(root, ["rev-parse", "HEAD"]);
    const onTarget =
      gitSucceeds(root, ["symbolic-ref", "-q", "HEAD"]) &&
      runGit(root, ["symbolic-ref", "HEAD"]) === target.ref;
    if (head !== target.tip || !onTarget) {
      throw new BatonError(
        "conflict",
        `the main checkout changed while merging (it is at ${head.slice(0, 12)} now, not ${target.branch} at ${target.tip.slice(0, 12)})`,
        `nothing was merged; run it again once the checkout is where you want it`,
        { target: target.branch },
      );
    }
    runGit(root, ["merge", "--ff-only", "-q", to], { code: "conflict", hint });
    return;
  }
  runGit(root, ["update-ref", "-m", why, target.ref, to, target.tip], { code: "conflict", hint });
}
