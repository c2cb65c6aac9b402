import { isBatonError } from "../../errors.js";
import { gitSucceeds, runGit } from "../worktrees/git.js";

/** What one agent's step of a train did in the scratch worktree. */
export type StepResult = { ok: true; tip: string } | { ok: false; files: string[] };

const IDENTITY_HINT =
  "if git asked who you are, set it: git config user.name 'Your Name' && git config user.email you@example.com; otherwise run the same git command in a worktree of the target to see git's whole message";

/**
 * `git merge --no-ff` of the agent's commit onto the scratch worktree's HEAD:
 * a merge commit that names the agent's branch. On a conflict the merge is
 * aborted there and the conflicting files returned; the HEAD is as before.
 */
export function mergeStep(scratch: string, branch: string, tip: string, target: string): StepResult {
  const message = `Merge ${branch} into ${target} (baton merge)`;
  return attempt(scratch, ["merge", "--no-ff", "--no-edit", "-m", message, tip], ["merge", "--abort"]);
}

/**
 * The agent's commits replayed onto the scratch worktree's HEAD (`git rebase`
 * of a detached copy of its tip), so the target can fast-forward to them. The
 * agent's branch itself is not moved: its worktree has it checked out. Commits
 * already on the target are dropped by git; when none is left, the tip is the
 * HEAD it started from. On a conflict the rebase is aborted and the scratch
 * worktree put back on `onto`.
 */
export function rebaseStep(scratch: string, tip: string, onto: string): StepResult {
  runGit(scratch, ["checkout", "-q", "--detach", tip]);
  const result = attempt(scratch, ["rebase", "-q", onto], ["rebase", "--abort"]);
  if (!result.ok) runGit(scratch, ["checkout", "-q", "--detach", onto]);
  return result;
}

function attempt(scratch: string, args: string[], abort: string[]): StepResult {
  try {
    runGit(scratch, args, { code: "invalid_state", hint: IDENTITY_HINT });
    return { ok: true, tip: runGit(scratch, ["rev-parse", "HEAD"]) };
  } catch (error) {
    if (!isBatonError(error)) throw error;
    const files = unmerged(scratch);
    gitSucceeds(scratch, abort);
    if (files.length === 0) throw error; // not a conflict: git's own refusal, said as it is
    return { ok: false, files };
  }
}

function unmerged(scratch: string): string[] {
  try {
    return [...new Set(runGit(scratch, ["diff", "--name-only", "-z", "--diff-filter=U"]).split("\0"))]
      .filter(Boolean)
      .sort();
  } catch {
    return [];
  }
}
