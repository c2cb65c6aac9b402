import { uncommittedPaths } from "../worktrees/uncommitted.js";
import { type AgentBranch, changedFiles, mergeBase } from "./agent-branches.js";
import type { Touch } from "./overlaps.js";

/** What an agent changed relative to a target: on its branch, and not committed yet. */
export interface BranchChanges {
  name: string;
  branch: string;
  /** Where its branch left the target; null for an unrelated history (then every file counts as changed). */
  base: string | null;
  /** Changed on its branch since `base`. */
  committed: string[];
  /** Changed in its worktree and not committed (none without a worktree). */
  uncommitted: string[];
  /** Changed on the target since `base`, and by this agent too (committed or not). */
  alsoOnTarget: string[];
}

export function branchChanges(root: string, targetTip: string, agent: AgentBranch): BranchChanges {
  const base = mergeBase(root, targetTip, agent.tip);
  const committed = base ? changedFiles(root, base, agent.tip) : trackedFiles(root, agent.tip);
  const uncommitted = agent.worktree ? uncommittedPaths(agent.worktree) : [];
  const mine = new Set([...committed, ...uncommitted]);
  const onTarget = base ? changedFiles(root, base, targetTip) : [];
  return {
    name: agent.name,
    branch: agent.branch,
    base,
    committed,
    uncommitted,
    alsoOnTarget: onTarget.filter((path) => mine.has(path)),
  };
}

export function changeTouches(changes: readonly BranchChanges[]): Touch[] {
  return changes.flatMap((c) => [
    ...c.committed.map((path) => ({ agent: c.name, path, how: "committed" as const })),
    ...c.uncommitted.map((path) => ({ agent: c.name, path, how: "uncommitted" as const })),
  ]);
}

function trackedFiles(root: string, commit: string): string[] {
  return changedFiles(root, "4b825dc642cb6eb9a060e54bf8d69288fbee4904", commit); // git's empty tree
}
