import type { CostTotal, Task as DomainTask, TaskStatus } from "../../api-types";
import type { LiveEvent } from "../../live";
import { ago } from "../../time";

export type { CostTotal, TaskStatus };
export type TaskReport = NonNullable<DomainTask["report"]>;

/** A task as GET /api/v1/tasks gives it; with `?cost=true`, its cost too. */
export interface Task extends DomainTask {
  cost?: CostTotal;
}

/** GET /api/v1/tasks/{id}. */
export interface TaskDetail extends Task {
  blocks: string[];
  waitingOn: string[];
  remarks: { at: number; by: string; text: string }[];
  history: LiveEvent[];
  cost: CostTotal;
}

/** GET /api/v1/tasks/{id}/diff. */
export interface WorktreeDiff {
  agent: string;
  worktree: string;
  branch: string | null;
  head: string | null;
  base: string | null;
  committed: string;
  uncommitted: string;
  untrackedNotShown: string[];
  cut: string | null;
}

export const PRIORITIES = [0, 1, 2, 3] as const;
export const PRIORITY_WORDS = ["urgent", "high", "normal", "low"] as const;

export function priorityLabel(priority: number): string {
  return `P${priority} ${PRIORITY_WORDS[priority] ?? ""}`.trim();
}

/** "$0.42", "~$0.42" when some of it was priced by baton, or null when nothing was spent. */
export function costLabel(cost: CostTotal | undefined): string | null {
  if (!cost || (cost.turns === 0 && cost.usd === 0)) return null;
  return `${cost.estimated ? "~" : ""}$${cost.usd.toFixed(2)}`;
}

/** "added now", "added 3h ago". */
export function age(at: number): string {
  const since = ago(at);
  return since === "now" ? "added now" : `added ${since} ago`;
}
