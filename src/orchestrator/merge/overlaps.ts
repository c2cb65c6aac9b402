import { patternsOverlap } from "../../domain/lease-pattern.js";

/** How an agent touched a file: changed it on its branch, has it changed in its worktree, or leases it. */
export type TouchHow = "committed" | "uncommitted" | "leased";

/** One agent's touch of one path; for a lease, the path is the lease's pattern (`src/**` or a file). */
export interface Touch {
  agent: string;
  path: string;
  how: TouchHow;
}

export interface Toucher {
  name: string;
  how: TouchHow[];
  /** The lease patterns that cover the path, when one is how. */
  leases?: string[];
}

/** A path touched by two or more agents, and by whom. */
export interface Overlap {
  path: string;
  agents: Toucher[];
}

const HOW_ORDER: TouchHow[] = ["committed", "uncommitted", "leased"];

/** The agents that touched `file`: by its exact path, or by a lease pattern that covers it. */
export function touchersOf(file: string, touches: readonly Touch[]): Toucher[] {
  const byAgent = new Map<string, { how: Set<TouchHow>; leases: Set<string> }>();
  for (const touch of touches) {
    const hits = touch.how === "leased" ? patternsOverlap(touch.path, file) : touch.path === file;
    if (!hits) continue;
    const entry = byAgent.get(touch.agent) ?? { how: new Set(), leases: new Set() };
    entry.how.add(touch.how);
    if (touch.how === "leased") entry.leases.add(touch.path);
    byAgent.set(touch.agent, entry);
  }
  return [...byAgent.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, entry]) => ({
      name,
      how: HOW_ORDER.filter((how) => entry.how.has(how)),
      ...(entry.leases.size > 0 ? { leases: [...entry.leases].sort() } : {}),
    }));
}

/**
 * Every path two or more agents touched. Files changed (committed or not) are
 * reported by their own path, with every agent that changed or leases them. A
 * lease that covers no changed file is reported under its pattern only when
 * another agent's lease overlaps it (two shared leases, or a glob and a file):
 * the same pair met twice, under each pattern, is said once.
 */
export function findOverlaps(touches: readonly Touch[]): Overlap[] {
  const files = [...new Set(touches.filter((t) => t.how !== "leased").map((t) => t.path))].sort();
  const found: Overlap[] = [];
  for (const path of files) {
    const agents = touchersOf(path, touches);
    if (agents.length >= 2) found.push({ path, agents });
  }
  const leases = touches.filter((t) => t.how === "leased");
  const patterns = [...new Set(leases.map((t) => t.path))].filter((p) => !files.includes(p)).sort();
  const seen: { path: string; names: string }[] = [];
  for (const path of patterns) {
    const agents = touchersOf(path, leases);
    if (agents.length < 2) continue;
    const names = agents.map((a) => a.name).join("\0");
    if (seen.some((s) => s.names === names && patternsOverlap(s.path, path))) continue;
    seen.push({ path, names });
    found.push({ path, agents });
  }
  return found;
}
