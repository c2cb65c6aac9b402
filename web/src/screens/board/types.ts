import type { LiveEvent } from "../../live";
import { ago } from "../../time";

/** A task as GET /api/v1/tasks gives it (src/domain/types.ts, the fields the board reads). */
export type TaskStatus = "open" | "claimed" | "done" | "failed" | "cancelled" | "dead";

export interface CostTotal {
  usd: number;
  estimated: boolean;
  unpriced: number;
  inputTokens: number;
  outputTokens: number;
  turns: number;
}

export interface Task {
  id: string;
  seq: number;
  title: string;
  body: string;
  queue: string;
  /** 0 is the highest, 3 the lowest. */
  priority: number;
  tags: string[];
  dependsOn: string[];
  status: TaskStatus;
  assignee: string | null;
  holder: string | null;
  /** Fencing token of the current or last claim: a cancel names it, so a claim made since is not cancelled unseen. */
  token: number | null;
  claimExpiresAt: number | null;
  attempts: number;
  maxAttempts: number;
  result: string | null;
  planRequired: boolean;
  dueAt: number | null;
  report: TaskReport | null;
  /** Open tasks only: dependencies that ended without success, so it can never start by itself. */
  blockedBy: { id: string; status: TaskStatus }[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** With `?cost=true`. */
  cost?: CostTotal;
}

export interface TaskReport {
  summary: string;
  findings: { description: string; severity: string; file: string | null; line: number | null }[];
  recommendations: string[];
  filesModified: string[];
  filesCreated: string[];
  errors: string[];
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
