import { existsSync } from "node:fs";
import type { WorktreeScript } from "../../domain/team-config.js";
import { BatonError } from "../../errors.js";
import { runHook, succeeded } from "../../hooks/run-hook.js";
import { runGit } from "./git.js";
import { locateWorktree } from "./locate.js";
import { scriptFailed } from "./setup-command.js";
import { uncommittedPaths } from "./uncommitted.js";
import { type SavedWip, saveWip, WIP_PREFIX } from "./wip.js";

export interface RemoveWorktreeOptions {
  /** Remove it even with uncommitted changes (they are kept in the wip ref). Never overrides `alive`. */
  force?: boolean;
  /** The agent looks alive (orchestrator/liveness.ts): its worktree is never removed. */
  alive: boolean;
  /** Why it looks alive, for the refusal's message. */
  aliveBecause?: string;
  /** When: the wip ref's time. Default: now. */
  at?: Date;
  /** The team's archive script (team.archive): run in the worktree once its work is saved, before it goes. */
  archive?: WorktreeScript | null;
}

export interface RemovalPlan {
  name: string;
  path: string;
  /** The branch checked out there (kept), or null when detached. */
  branch: string | null;
  /** Uncommitted paths: staged, unstaged and untracked (not ignored). */
  changes: string[];
}

export interface RemovedWorktree extends RemovalPlan {
  /** Saved before the removal, also when clean (it names the branch tip the tree had). */
  wip: SavedWip;
}

/** How many changed paths a refusal names; the count says the rest. */
const NAMED_CHANGES = 5;

/**
 * What removing the agent's worktree would do, or why it is refused: a live
 * agent's worktree always (force or not: the agent is working in it), a locked
 * one (someone said keep it), and one with uncommitted work unless `force`.
 */
export function planRemoval(root: string, name: string, options: RemoveWorktreeOptions): RemovalPlan {
  const found = locateWorktree(root, name);
  const plan: RemovalPlan = {
    name: found.name,
    path: found.path,
    branch: found.registered.branch?.replace(/^refs\/heads\//, "") ?? null,
    changes: found.registered.prunable ? [] : uncommittedPaths(found.path),
  };
  if (options.alive) {
    throw new BatonError(
      "conflict",
      `${plan.name}'s agent looks alive${options.aliveBecause ? ` (${options.aliveBecause})` : ""}: its worktree is kept`,
      `stop the agent first; --force never removes a live agent's worktree`,
      { name: plan.name, path: plan.path, reason: "alive" },
    );
  }
  if (found.registered.locked) {
    throw new BatonError(
      "conflict",
      `${plan.name}'s worktree is locked (git worktree lock): it is kept`,
      `unlock it if it may go: git worktree unlock ${plan.path}`,
      { name: plan.name, path: plan.path, reason: "locked" },
    );
  }
  if (plan.changes.length > 0 && !options.force) {
    const named = plan.changes.slice(0, NAMED_CHANGES).join(", ");
    const more =
      plan.changes.length > NAMED_CHANGES ? ` and ${plan.changes.length - NAMED_CHANGES} more` : "";
    throw new BatonError(
      "conflict",
      `${plan.name}'s worktree has uncommitted changes (${named}${more}): it is kept`,
      `commit them there, or remove it anyway with --force (baton cleanup ${plan.name} --force): the work is kept in a wip ref, ${WIP_PREFIX}${plan.name}/<time>, that restores it`,
      { name: plan.name, path: plan.path, reason: "uncommitted", changes: plan.changes },
    );
  }
  return plan;
}

/**
 * Removes the agent's worktree, `.baton/worktrees/<name>` and nothing else,
 * after saving all of it in a wip ref and running the team's archive script
 * there (a failing one keeps the worktree). The branch stays. Only this
 * worktree's record goes (`git worktree remove` deletes it): no `git worktree
 * prune`, which would also drop records of worktrees that are not baton's.
 */
export async function removeWorktree(
  root: string,
  name: string,
  options: RemoveWorktreeOptions,
): Promise<RemovedWorktree> {
  const plan = planRemoval(root, name, options);
  const wip = saveWip(root, plan.name, options.at ?? new Date());
  if (options.archive && existsSync(plan.path)) await runArchive(plan, wip, options.archive);
  // --force: the changes are in the wip ref now, and git would refuse untracked files without it.
  runGit(root, ["worktree", "remove", "--force", plan.path], {
    hint: `the work is saved in ${wip.ref}; fix what git says, then run it again`,
  });
  return { ...plan, wip };
}

/**
 * team.archive, in the worktree about to go: with BATON_AGENT and
 * BATON_WIP_REF (where its work now is), and the event on stdin as a hook gets
 * it. Run as a hook runs (its own process group, its deadline).
 */
async function runArchive(plan: RemovalPlan, wip: SavedWip, script: WorktreeScript): Promise<void> {
  const outcome = await runHook(
    script.argv,
    { type: "worktree.archive", agent: plan.name, worktree: plan.path, wip: wip.ref },
    { cwd: plan.path, timeoutMs: script.timeoutMs, env: { BATON_AGENT: plan.name, BATON_WIP_REF: wip.ref } },
  );
  if (!succeeded(outcome)) throw scriptFailed("archive", plan.name, plan.path, script.argv, outcome);
}
