import type { Lease } from "../../domain/types.js";
import { agentBranch, allAgentNames } from "./agent-branches.js";
import { branchChanges, changeTouches } from "./branch-changes.js";
import { leaseTouchesHeld } from "./lease-history.js";
import { findOverlaps, type Overlap } from "./overlaps.js";
import { resolveTarget } from "./target.js";

export interface AgentWork {
  name: string;
  branch: string;
  /** Where its branch left the target (null: unrelated histories). */
  base: string | null;
  committed: string[];
  uncommitted: string[];
  /** The lease patterns it holds now. */
  leased: string[];
}

/** Files the target changed since an agent's branch left it, which the agent changed too. */
export interface TargetOverlap {
  agent: string;
  files: string[];
}

export interface ConflictsReport {
  target: string;
  agents: AgentWork[];
  /** Paths two or more agents touched. */
  overlaps: Overlap[];
  targetOverlaps: TargetOverlap[];
}

/**
 * Where the team's work would collide before anything is merged: for each
 * agent with a `baton/*` branch, what it committed since its branch left the
 * target, what it has not committed in its worktree, and what it leases now;
 * then every path two of them touched, and every file both an agent and the
 * target changed since the agent's branch left it. Reads only: nothing moves.
 */
export function predictConflicts(root: string, leases: readonly Lease[], into?: string): ConflictsReport {
  const target = resolveTarget(root, into, { toRead: true });
  const agents = allAgentNames(root)
    .map((name) => agentBranch(root, name))
    .filter((agent) => `refs/heads/${agent.branch}` !== target.ref);
  const names = new Set(agents.map((agent) => agent.name));
  const held = leaseTouchesHeld(leases, names);
  const changes = agents.map((agent) => branchChanges(root, target.tip, agent));
  const work: AgentWork[] = changes.map((c) => ({
    name: c.name,
    branch: c.branch,
    base: c.base,
    committed: c.committed,
    uncommitted: c.uncommitted,
    leased: held.filter((t) => t.agent === c.name).map((t) => t.path),
  }));
  return {
    target: target.branch,
    agents: work,
    overlaps: findOverlaps([...changeTouches(changes), ...held]),
    targetOverlaps: changes
      .filter((c) => c.alsoOnTarget.length > 0)
      .map((c) => ({ agent: c.name, files: c.alsoOnTarget })),
  };
}
