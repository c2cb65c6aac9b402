import type { CostTotal, Task as DomainTask, TaskDetail, TaskStatus, WorktreeDiff } from "../../api-types";
import { ago } from "../../time";

/** GET /api/v1/tasks/{id} gives a TaskDetail, GET /api/v1/tasks/{id}/diff a WorktreeDiff. */
export type { CostTotal, TaskDetail, TaskStatus, WorktreeDiff };
export type TaskReport = NonNullable<DomainTask["report"]>;

/** A task as GET /api/v1/tasks gives it; with `?cost=true`, its cost too. */
export interface Task extends DomainTask {
  cost?: CostTotal;
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
