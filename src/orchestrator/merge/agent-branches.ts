import { BatonError } from "../../errors.js";
import { gitSucceeds, runGit } from "../worktrees/git.js";
import { BRANCH_PREFIX, branchOf, worktreeName, worktreePath } from "../worktrees/paths.js";
import { registeredWorktrees } from "../worktrees/registered.js";

/** An agent's branch as a merge or a conflict check sees it. */
export interface AgentBranch {
  name: string;
  /** `baton/<name>`. */
  branch: string;
  /** Its commit now: read once, so an agent committing meanwhile does not change what is merged. */
  tip: string;
  /** Its worktree, `.baton/worktrees/<name>`, when there is one on that branch (it may have been cleaned up). */
  worktree: string | null;
}

/** Every `baton/*` branch's agent, by name. */
export function allAgentNames(root: string): string[] {
  const refs = runGit(root, ["for-each-ref", "--format=%(refname)", `refs/heads/${BRANCH_PREFIX}`]);
  return refs
    .split("\n")
    .filter(Boolean)
    .map((ref) => ref.slice(`refs/heads/${BRANCH_PREFIX}`.length))
    .filter(isAgentName) // baton/x/y or a name made by hand that no agent could have: not an agent's
    .sort();
}

/** The agent's branch, refused with the names that do exist when it has none. */
export function agentBranch(root: string, nameIn: string): AgentBranch {
  const name = worktreeName(nameIn);
  const branch = branchOf(name);
  if (!gitSucceeds(root, ["rev-parse", "--verify", "-q", `refs/heads/${branch}`])) {
    const known = allAgentNames(root);
    throw new BatonError(
      "not_found",
      `there is no branch ${branch}: ${name} has no worktree branch to merge`,
      known.length > 0
        ? `the agents with branches are ${known.join(", ")} (git branch --list 'baton/*'); check the name`
        : "no agent has a branch yet: baton up makes one per agent (baton/NAME)",
      { name, branch },
    );
  }
  const tip = runGit(root, ["rev-parse", "--verify", `refs/heads/${branch}^{commit}`]);
  const path = worktreePath(root, name);
  const registered = registeredWorktrees(root).find(
    (worktree) => worktree.path === path && worktree.branch === `refs/heads/${branch}` && !worktree.prunable,
  );
  return { name, branch, tip, worktree: registered ? path : null };
}

/** Files a range of commits changed, both sides of a rename included. */
export function changedFiles(root: string, from: string, to: string): string[] {
  if (from === to) return [];
  return runGit(root, ["diff", "--name-only", "--no-renames", "-z", from, to, "--"])
    .split("\0")
    .filter(Boolean);
}

/** Where the branch left the target: the commit both share last. */
export function mergeBase(root: string, a: string, b: string): string | null {
  try {
    return runGit(root, ["merge-base", a, b]);
  } catch {
    return null; // unrelated histories
  }
}

/** How many commits `tip` has that `base` does not. */
export function commitsBeyond(root: string, base: string, tip: string): number {
  return Number(runGit(root, ["rev-list", "--count", `${base}..${tip}`]));
}

function isAgentName(name: string): boolean {
  try {
    return worktreeName(name) === name;
  } catch {
    return false;
  }
}
