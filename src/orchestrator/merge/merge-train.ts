import { BatonError } from "../../errors.js";
import { worktreeRelative } from "../worktrees/paths.js";
import { uncommittedPaths } from "../worktrees/uncommitted.js";
import {
  type AgentBranch,
  agentBranch,
  allAgentNames,
  changedFiles,
  commitsBeyond,
  mergeBase,
} from "./agent-branches.js";
import { branchChanges, changeTouches } from "./branch-changes.js";
import { mergeStep, rebaseStep, type StepResult } from "./merge-step.js";
import { moveTarget } from "./move-target.js";
import { type Touch, type Toucher, touchersOf } from "./overlaps.js";
import { withScratchWorktree } from "./scratch-worktree.js";
import { type MergeTarget, refuseDirtyCheckout, resolveTarget } from "./target.js";

export interface MergeTrainOptions {
  /** The agents, in the order they are merged; `all`: every `baton/*` branch, by name. */
  agents: string[] | "all";
  /** The target branch; default: the one checked out in the main checkout. */
  into?: string;
  /** Rebase each agent's commits onto the target and fast-forward, instead of a merge commit each. */
  rebase?: boolean;
  /** Run the whole train in the scratch worktree, and move nothing. */
  dryRun?: boolean;
  /** The lease patterns the named agents held at any time (from the log), to say who touched a conflicting file. */
  leasesOf?: (agents: ReadonlySet<string>) => Promise<Touch[]>;
}

export type StepOutcome = "merged" | "would merge" | "nothing to merge" | "conflict" | "not tried";

export interface TrainStep {
  name: string;
  branch: string;
  /** The branch's commit that was merged (read once, at the start). */
  tip: string;
  /** Its commits beyond the target as the train reached it. */
  commits: number;
  outcome: StepOutcome;
  /** The train's commit after this step (the merge commit, or the last rebased one). */
  commit?: string;
  /** Files in its worktree that are not committed, and so not part of the merge. */
  uncommitted?: string[];
}

export interface ConflictFile {
  path: string;
  /** Every agent that changed it (committed or not) since its branch left the target, or leased it. */
  agents: Toucher[];
  /** The target changed it too since the conflicting agent's branch left it. */
  target: boolean;
}

export interface TrainConflict {
  agent: string;
  files: ConflictFile[];
}

export interface TrainResult {
  target: string;
  strategy: "merge" | "rebase";
  /** The target's commit before, and after (the same when nothing moved). */
  before: string;
  after: string;
  /** Whether the target ref moved. */
  moved: boolean;
  /** The main checkout's files were updated with it (it has the target checked out). */
  checkoutUpdated: boolean;
  steps: TrainStep[];
  conflict: TrainConflict | null;
  warnings: string[];
}

/**
 * A merge train: each agent's branch merged into the target in turn, in a
 * scratch worktree of the target, so a conflict never leaves the target or the
 * main checkout half-merged. The target moves only once, after every step has
 * succeeded; on a conflict the train stops there and nothing moves: what was
 * merged before it stays unmerged too, so the target never holds a set of
 * agents nobody asked for, and running it again after the fix merges all.
 */
export async function runMergeTrain(root: string, options: MergeTrainOptions): Promise<TrainResult> {
  const target = resolveTarget(root, options.into);
  const warnings: string[] = [];
  if (options.dryRun) {
    try {
      refuseDirtyCheckout(root, target);
    } catch (error) {
      warnings.push(`${(error as BatonError).message}: a real run would be refused`);
    }
  } else refuseDirtyCheckout(root, target);
  const agents = trainAgents(root, target, options.agents);
  const steps: TrainStep[] = agents.map((agent) => {
    const uncommitted = agent.worktree ? uncommittedPaths(agent.worktree) : [];
    if (uncommitted.length > 0) {
      warnings.push(
        `${agent.name} has ${uncommitted.length} uncommitted change(s) in ${worktreeRelative(agent.name)}: they are not part of the merge; commit them there (cd ${worktreeRelative(agent.name)} && git add -A && git commit) and merge again, or save them with baton cleanup ${agent.name} --force`,
      );
    }
    return {
      name: agent.name,
      branch: agent.branch,
      tip: agent.tip,
      commits: commitsBeyond(root, target.tip, agent.tip),
      outcome: "not tried" as StepOutcome,
      ...(uncommitted.length > 0 ? { uncommitted } : {}),
    };
  });
  const strategy = options.rebase ? "rebase" : "merge";
  let conflict: TrainConflict | null = null;
  let after = target.tip;
  for (const step of steps) if (step.commits === 0) step.outcome = "nothing to merge";
  if (steps.some((step) => step.commits > 0)) {
    const ran = await withScratchWorktree(root, target.tip, async (scratch) => {
      let tip = target.tip;
      for (const step of steps) {
        step.commits = commitsBeyond(root, tip, step.tip);
        if (step.commits === 0) {
          step.outcome = "nothing to merge";
          continue;
        }
        const result: StepResult = options.rebase
          ? rebaseStep(scratch, step.tip, tip)
          : mergeStep(scratch, step.branch, step.tip, target.branch);
        if (!result.ok) {
          step.outcome = "conflict";
          return { tip, conflict: await explain(root, target, agents, step.name, result.files, options) };
        }
        if (result.tip === tip) {
          step.outcome = "nothing to merge"; // a rebase found every commit already on the target
          continue;
        }
        tip = result.tip;
        step.outcome = options.dryRun ? "would merge" : "merged";
        if (!options.dryRun) step.commit = tip;
      }
      return { tip, conflict: null };
    });
    conflict = ran.conflict;
    if (!conflict) after = ran.tip;
    else {
      // Merged in the scratch worktree only, and gone with it: they would merge, and are not merged.
      for (const step of steps) {
        if (step.outcome !== "merged") continue;
        step.outcome = "would merge";
        delete step.commit;
      }
    }
  }
  const moved = !conflict && !options.dryRun && after !== target.tip;
  if (moved) {
    const merged = steps.filter((step) => step.outcome === "merged").map((step) => step.name);
    moveTarget(root, target, after, `baton merge: ${merged.join(", ")} into ${target.branch}`);
  }
  return {
    target: target.branch,
    strategy,
    before: target.tip,
    after: moved ? after : target.tip,
    moved,
    checkoutUpdated: moved && target.checkedOutInMain,
    steps,
    conflict,
    warnings,
  };
}

/** The agents' branches, checked before anything is done: a wrong name stops the train before it starts. */
function trainAgents(root: string, target: MergeTarget, wanted: string[] | "all"): AgentBranch[] {
  if (wanted === "all") {
    return allAgentNames(root)
      .map((name) => agentBranch(root, name))
      .filter((agent) => `refs/heads/${agent.branch}` !== target.ref);
  }
  if (wanted.length === 0) {
    throw new BatonError(
      "usage",
      "no agent named",
      "name the agents to merge (baton merge alice bob), or --all",
    );
  }
  const agents = [...new Set(wanted)].map((name) => agentBranch(root, name));
  const itself = agents.find((agent) => `refs/heads/${agent.branch}` === target.ref);
  if (itself) {
    throw new BatonError(
      "invalid_input",
      `${itself.branch} is the target itself: it cannot be merged into itself`,
      "merge the other agents into it, or name another target with --into",
      { name: itself.name },
    );
  }
  return agents;
}

/**
 * Who touched each conflicting file: every agent with a branch (its commits
 * since it left the target, its uncommitted changes, its leases from the log),
 * and whether the target changed it since the conflicting agent's branch left it.
 */
async function explain(
  root: string,
  target: MergeTarget,
  train: AgentBranch[],
  agent: string,
  files: string[],
  options: MergeTrainOptions,
): Promise<TrainConflict> {
  const known = new Map(train.map((a) => [a.name, a]));
  for (const name of allAgentNames(root)) if (!known.has(name)) known.set(name, agentBranch(root, name));
  const everyone = [...known.values()].filter((a) => `refs/heads/${a.branch}` !== target.ref);
  const touches = [
    ...changeTouches(everyone.map((a) => branchChanges(root, target.tip, a))),
    ...((await options.leasesOf?.(new Set(everyone.map((a) => a.name)))) ?? []),
  ];
  const conflicting = known.get(agent)!;
  const base = mergeBase(root, target.tip, conflicting.tip);
  const onTarget = new Set(base ? changedFiles(root, base, target.tip) : []);
  return {
    agent,
    files: files.map((path) => ({ path, agents: touchersOf(path, touches), target: onTarget.has(path) })),
  };
}
