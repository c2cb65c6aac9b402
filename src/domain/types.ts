import type { CostTotal } from "./cost.js";
import type { TaskReport } from "./task-report.js";

/**
 * The plain data baton keeps. Everything here is JSON-serialisable, so it can
 * cross the store port, a Unix socket or an HTTP response unchanged.
 * Times are milliseconds since the epoch.
 */

export const TASK_STATUSES = ["open", "claimed", "done", "failed", "cancelled", "dead"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses from which a task never moves again. */
export const FINAL_STATUSES: readonly TaskStatus[] = ["done", "failed", "cancelled", "dead"];

/** Final statuses that are not success: a task waiting on one of them can never start by itself. */
export const UNSUCCESSFUL_STATUSES: readonly TaskStatus[] = ["failed", "cancelled", "dead"];

export const AGENT_KINDS = ["claude", "codex", "gemini", "pi", "custom", "human"] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

export type AgentStatus = "idle" | "busy" | "offline" | "hung";

/**
 * What an agent is doing as its host or supervisor last reported it: working
 * (a turn runs), waiting (for a human: a permission prompt, a question, a plan
 * to approve), idle (its turn ended), exited (its process is gone). "stuck" is
 * never reported: it is a working agent silent for longer than hung_after.
 */
export const ACTIVITY_STATES = ["working", "waiting", "idle", "exited"] as const;
export type ActivityState = (typeof ACTIVITY_STATES)[number];

/** An activity with its evidence: which signal said so, what it said, and when. */
export interface Activity {
  state: ActivityState;
  /** Where it came from: a host hook (claude:Stop), the supervisor (tmux:pane-dead), a run's exit. */
  signal: string;
  detail: string | null;
  at: number;
}

export interface Task {
  id: string;
  /** Creation order across all queues; the tie-breaker after priority. */
  seq: number;
  title: string;
  body: string;
  queue: string;
  /** 0 is the highest, 3 the lowest. */
  priority: number;
  tags: string[];
  dependsOn: string[];
  status: TaskStatus;
  /** Who the task is meant for, if anyone; survives claims ending. */
  assignee: string | null;
  /** Who holds the current claim; null unless status is `claimed`. */
  holder: string | null;
  /** Fencing token of the current or last claim. */
  token: number | null;
  claimExpiresAt: number | null;
  /** Claims that ended without completion: failures and expiries. */
  attempts: number;
  maxAttempts: number;
  result: string | null;
  /** Its holder must have a plan approved by a human before completing it. */
  planRequired: boolean;
  /** When its queue's SLA says it should be done; null without an SLA. */
  dueAt: number | null;
  /** When it was last escalated to the humans. */
  escalatedAt: number | null;
  /** The structured report given on completion, if any. */
  report: TaskReport | null;
  /**
   * Open tasks only: the dependencies, direct or through other open tasks, that
   * ended without success. Such a task can never start by itself; a human must
   * remove the dependency, reopen it, or cancel this task. Empty otherwise.
   */
  blockedBy: { id: string; status: TaskStatus }[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface Remark {
  at: number;
  by: string;
  text: string;
}

export interface TaskDetail extends Task {
  /** Tasks that wait on this one. */
  blocks: string[];
  /** Dependencies that are not done yet. */
  waitingOn: string[];
  remarks: Remark[];
  history: BatonEvent[];
  /** What its agents' turns on it have cost so far. */
  cost: CostTotal;
}

/** Why a holder lost a claim or a lease without giving it up itself. */
export type LossReason = "expired" | "dead" | "cancelled" | "force_released" | "removed";

/** A claim or lease taken from its holder, kept until the holder's next heartbeat reports it. */
export interface LostHold {
  kind: "task" | "lease";
  /** The task id or the lease path. */
  subject: string;
  /** The fencing token of the claim or lease that was lost. */
  token: number;
  reason: LossReason;
  /** Who took it: `guardian` for an expiry, found by whichever process looked first. */
  by: string;
  at: number;
  /** The event that recorded it (`baton log`). */
  event: number;
}

export interface Lease {
  /** The normalised workspace-relative path or glob. */
  path: string;
  holder: string;
  exclusive: boolean;
  intent: string | null;
  token: number;
  acquiredAt: number;
  expiresAt: number;
  ttlMs: number;
}

export interface LeaseConflict {
  path: string;
  heldPath: string;
  /** Where `heldPath` leads now, when a symlink made since its grant sends it elsewhere. */
  heldLeadsTo?: string;
  holder: string;
  intent: string | null;
  exclusive: boolean;
  expiresAt: number;
}

export interface Agent {
  name: string;
  role: string | null;
  kind: AgentKind;
  joinedAt: number;
  lastSeenAt: number;
  workingOn: string | null;
  /** Set when the agent left; cleared when it is seen again. */
  leftAt: number | null;
  /** Set once the guardian reported the agent hung; cleared by its next heartbeat. */
  hungSince: number | null;
  /** What its host or supervisor last said it is doing, or null when nothing reports it. */
  activity: Activity | null;
}

export interface AgentView extends Agent {
  status: AgentStatus;
  tasks: string[];
  leases: string[];
  /** What its turns have cost so far (the ledger: baton cost). */
  cost: CostTotal;
}

export interface BatonEvent {
  seq: number;
  at: number;
  actor: string;
  type: string;
  /** The task id, path or agent the event is about. */
  subject: string | null;
  summary: string;
  data: Record<string, unknown>;
}

export type MessageKind = "direct" | "channel" | "broadcast" | "escalation";

export interface Message {
  /** `M-12`: messages share one sequence across inboxes and channels. */
  id: string;
  seq: number;
  at: number;
  sender: string;
  kind: MessageKind;
  /** The agent (direct), the channel name (channel), the role or null for everyone (broadcast). */
  to: string | null;
  /** Id of the thread's first message, for replies. */
  thread: string | null;
  replyTo: string | null;
  urgent: boolean;
  body: string;
}

export interface Channel {
  name: string;
  topic: string | null;
  createdBy: string;
  createdAt: number;
  messages: number;
}

export interface Question {
  /** `Q-7` */
  id: string;
  seq: number;
  askedBy: string;
  askedAt: number;
  text: string;
  options: string[] | null;
  task: string | null;
  /** `expired`: nobody waits for the answer any more (its task ended, its asker left); it cannot be answered. */
  status: "open" | "answered" | "expired";
  answer: string | null;
  /** Who answered it (for an expired one, who ended what it waited on). */
  answeredBy: string | null;
  answeredAt: number | null;
  /** Why it expired. */
  note: string | null;
}

export interface Approval {
  /** `A-3` */
  id: string;
  seq: number;
  requestedBy: string;
  requestedAt: number;
  action: string;
  plan: string | null;
  task: string | null;
  /** `expired`: the requester withdrew it because what it would allow can no longer happen (its run ended). */
  status: "pending" | "approved" | "rejected" | "expired";
  /** Who decided it (for an expired one, the requester that withdrew it). */
  decidedBy: string | null;
  decidedAt: number | null;
  /** The approver's note, or the reason for a rejection. */
  note: string | null;
  /**
   * `request`: an action or plan an agent asked a human about (a task's plan gate counts these);
   * `permission`: a host asking to run one tool call, which never approves a task's plan.
   */
  kind: ApprovalKind;
  /** When a pending approval expires undecided (nothing waits for it after), or null: never. */
  expiresAt: number | null;
}

export type ApprovalKind = "request" | "permission";

export interface Escalation {
  /** `E-2` */
  id: string;
  task: string;
  at: number;
  by: string;
  reason: string;
  /** The message that carried it to the humans. */
  message: string;
  /** When a human marked it handled, who, and what they said. */
  resolvedAt: number | null;
  resolvedBy: string | null;
  note: string | null;
  /** Still waits for a human: not resolved, and its task not finished. */
  open: boolean;
}

export interface SummaryEntry {
  agent: string;
  at: number;
  text: string;
}

export interface SummaryRound {
  /** YYYY-MM-DD */
  day: string;
  openedBy: string;
  openedAt: number;
  collectedAt: number | null;
  /** The collected markdown report. */
  report: string | null;
  entries: SummaryEntry[];
}
