import { formatMessageId } from "../../domain/message-rules.js";
import type { TaskReport } from "../../domain/task-report.js";
import type {
  ActivityState,
  Agent,
  AgentKind,
  Approval,
  BatonEvent,
  Escalation,
  Lease,
  LostHold,
  Message,
  MessageKind,
  Question,
  Task,
  TaskStatus,
} from "../../domain/types.js";

/** Row shapes as SQLite returns them, and their mapping to domain data. */

export interface TaskRow {
  seq: number;
  id: string;
  title: string;
  body: string;
  queue: string;
  priority: number;
  tags: string;
  deps: string;
  blocked_by: string | null;
  status: string;
  assignee: string | null;
  holder: string | null;
  token: number | null;
  claim_expires_at: number | null;
  claim_ttl_ms: number | null;
  attempts: number;
  max_attempts: number;
  result: string | null;
  plan_required: number;
  due_at: number | null;
  escalated_at: number | null;
  report: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

const DEPS = `(SELECT json_group_array(d.depends_on) FROM task_deps d WHERE d.task_id = t.id) AS deps`;

/**
 * Selects a task with its dependencies folded into one JSON column, and, for an
 * open task, what blocks it for good: the dependencies reached through open
 * tasks that ended without success. Derived on every read, never stored, so
 * removing the dependency or reopening it unblocks the task with no other write.
 * The walk goes up from each row: right for one task or a few; a list uses
 * TASK_LIST_COLUMNS and `blockedTasks` (task-graph.ts), which walks once.
 */
export const TASK_COLUMNS = `t.*, ${DEPS},
  CASE WHEN t.status = 'open' AND EXISTS (SELECT 1 FROM task_deps d WHERE d.task_id = t.id) THEN (
    WITH RECURSIVE up(id) AS (
      SELECT d.depends_on FROM task_deps d WHERE d.task_id = t.id
      UNION
      SELECT d.depends_on FROM up JOIN tasks m ON m.id = up.id AND m.status = 'open' JOIN task_deps d ON d.task_id = up.id)
    SELECT json_group_array(json_object('id', x.id, 'status', x.status))
    FROM up JOIN tasks x ON x.id = up.id WHERE x.status IN ('failed', 'cancelled', 'dead'))
  END AS blocked_by`;

/** A task without `blocked_by`, for lists: the caller fills `blockedBy` from one walk of the whole graph. */
export const TASK_LIST_COLUMNS = `t.*, ${DEPS}, NULL AS blocked_by`;

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    seq: row.seq,
    title: row.title,
    body: row.body,
    queue: row.queue,
    priority: row.priority,
    tags: JSON.parse(row.tags) as string[],
    dependsOn: (JSON.parse(row.deps ?? "[]") as string[]).sort(compareTaskIds),
    status: row.status as TaskStatus,
    assignee: row.assignee,
    holder: row.holder,
    token: row.token,
    claimExpiresAt: row.claim_expires_at,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    result: row.result,
    planRequired: row.plan_required === 1,
    dueAt: row.due_at,
    escalatedAt: row.escalated_at,
    report: row.report === null ? null : (JSON.parse(row.report) as TaskReport),
    blockedBy: (JSON.parse(row.blocked_by ?? "[]") as Task["blockedBy"]).sort((a, b) =>
      compareTaskIds(a.id, b.id),
    ),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Orders T-2 before T-10. */
export function compareTaskIds(a: string, b: string): number {
  const [pa, na] = [a.slice(0, a.lastIndexOf("-")), Number(a.slice(a.lastIndexOf("-") + 1))];
  const [pb, nb] = [b.slice(0, b.lastIndexOf("-")), Number(b.slice(b.lastIndexOf("-") + 1))];
  return pa === pb ? na - nb : pa < pb ? -1 : 1;
}

export interface LeaseRow {
  path: string;
  holder: string;
  exclusive: number;
  intent: string | null;
  token: number;
  acquired_at: number;
  expires_at: number;
  ttl_ms: number;
}

export function toLease(row: LeaseRow): Lease {
  return {
    path: row.path,
    holder: row.holder,
    exclusive: row.exclusive === 1,
    intent: row.intent,
    token: row.token,
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
    ttlMs: row.ttl_ms,
  };
}

export interface LostHoldRow {
  id: number;
  agent: string;
  event: number;
  kind: string;
  subject: string;
  token: number;
  reason: string;
  by: string;
  at: number;
}

export function toLostHold(row: LostHoldRow): LostHold {
  return {
    kind: row.kind as LostHold["kind"],
    subject: row.subject,
    token: row.token,
    reason: row.reason as LostHold["reason"],
    by: row.by,
    at: row.at,
    event: row.event,
  };
}

export interface AgentRow {
  name: string;
  role: string | null;
  kind: string;
  joined_at: number;
  last_seen_at: number;
  working_on: string | null;
  left_at: number | null;
  hung_since: number | null;
  activity: string | null;
  activity_signal: string | null;
  activity_detail: string | null;
  activity_at: number | null;
}

export function toAgent(row: AgentRow): Agent {
  return {
    name: row.name,
    role: row.role,
    kind: row.kind as AgentKind,
    joinedAt: row.joined_at,
    lastSeenAt: row.last_seen_at,
    workingOn: row.working_on,
    leftAt: row.left_at,
    hungSince: row.hung_since,
    activity:
      row.activity === null
        ? null
        : {
            state: row.activity as ActivityState,
            signal: row.activity_signal ?? "",
            detail: row.activity_detail,
            at: row.activity_at ?? row.last_seen_at,
          },
  };
}

export interface EventRow {
  seq: number;
  at: number;
  actor: string;
  type: string;
  subject: string | null;
  summary: string;
  data: string;
}

export function toEvent(row: EventRow): BatonEvent {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    type: row.type,
    subject: row.subject,
    summary: row.summary,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

export interface MessageRow {
  seq: number;
  at: number;
  sender: string;
  kind: string;
  target: string | null;
  thread: number | null;
  reply_to: number | null;
  urgent: number;
  body: string;
}

export function toMessage(row: MessageRow): Message {
  return {
    id: formatMessageId(row.seq),
    seq: row.seq,
    at: row.at,
    sender: row.sender,
    kind: row.kind as MessageKind,
    to: row.target,
    thread: row.thread === null ? null : formatMessageId(row.thread),
    replyTo: row.reply_to === null ? null : formatMessageId(row.reply_to),
    urgent: row.urgent === 1,
    body: row.body,
  };
}

export interface QuestionRow {
  seq: number;
  asked_by: string;
  asked_at: number;
  text: string;
  options: string | null;
  task: string | null;
  status: string;
  answer: string | null;
  answered_by: string | null;
  answered_at: number | null;
  note: string | null;
}

export function toQuestion(row: QuestionRow): Question {
  return {
    id: `Q-${row.seq}`,
    seq: row.seq,
    askedBy: row.asked_by,
    askedAt: row.asked_at,
    text: row.text,
    options: row.options === null ? null : (JSON.parse(row.options) as string[]),
    task: row.task,
    status: row.status as Question["status"],
    answer: row.answer,
    answeredBy: row.answered_by,
    answeredAt: row.answered_at,
    note: row.note,
  };
}

export interface ApprovalRow {
  seq: number;
  requested_by: string;
  requested_at: number;
  action: string;
  plan: string | null;
  task: string | null;
  status: string;
  decided_by: string | null;
  decided_at: number | null;
  note: string | null;
  kind: string;
  expires_at: number | null;
}

export function toApproval(row: ApprovalRow): Approval {
  return {
    id: `A-${row.seq}`,
    seq: row.seq,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    action: row.action,
    plan: row.plan,
    task: row.task,
    status: row.status as Approval["status"],
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    note: row.note,
    kind: row.kind === "permission" ? "permission" : "request",
    expiresAt: row.expires_at,
  };
}

export interface EscalationRow {
  seq: number;
  task: string;
  at: number;
  by: string;
  reason: string;
  message: number;
  resolved_at: number | null;
  resolved_by: string | null;
  note: string | null;
  /** The task's status, joined in: an escalation of a finished task waits for nobody. */
  task_status: string;
}

export function toEscalation(row: EscalationRow): Escalation {
  return {
    id: `E-${row.seq}`,
    task: row.task,
    at: row.at,
    by: row.by,
    reason: row.reason,
    message: formatMessageId(row.message),
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    note: row.note,
    open: row.resolved_at === null && (row.task_status === "open" || row.task_status === "claimed"),
  };
}
