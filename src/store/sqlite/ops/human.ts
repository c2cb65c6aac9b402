import {
  APPROVALS_TOPIC,
  approvalTopic,
  QUESTIONS_TOPIC,
  questionTopic,
} from "../../../domain/human-rules.js";
import type { Approval, Question } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import type { Mutation, RequestApprovalInput } from "../../port.js";
import { type ApprovalRow, type QuestionRow, toApproval, toQuestion } from "../rows.js";
import { appendEvent, requireTask, sweepExpiredApprovals, type Tx, touchActor } from "../tx.js";
import { sendMessage } from "./messages.js";

/** Questions to the human and approvals by a human. */

export function getQuestion(tx: Tx, seq: number): Question {
  const row = tx.conn.get<QuestionRow>(`SELECT * FROM questions WHERE seq = ?`, seq);
  if (!row)
    throw new BatonError("not_found", `no question Q-${seq}`, {
      cli: "see the questions with `baton questions`",
      tool: "pass the id chat_with_human returned (Q-3)",
    });
  return toQuestion(row);
}

export function listQuestions(tx: Tx, input: { open?: boolean }): Question[] {
  const where = input.open ? `WHERE status = 'open'` : "";
  return tx.conn.all<QuestionRow>(`SELECT * FROM questions ${where} ORDER BY seq`).map(toQuestion);
}

export function askQuestion(
  tx: Tx,
  input: Mutation & { text: string; options: string[] | null; task: string | null },
): { question: Question } {
  touchActor(tx);
  if (input.task) requireTask(tx, input.task);
  const { seq } = tx.conn.get<{ seq: number }>(
    `INSERT INTO questions (asked_by, asked_at, text, options, task, status) VALUES (?, ?, ?, ?, ?, 'open') RETURNING seq`,
    tx.actor,
    tx.now,
    input.text,
    input.options ? JSON.stringify(input.options) : null,
    input.task,
  )!;
  appendEvent(tx, {
    type: "question.asked",
    subject: `Q-${seq}`,
    summary: `${tx.actor} asks${input.task ? ` about ${input.task}` : ""}: ${input.text}`,
    data: { after: { status: "open", options: input.options, task: input.task } },
  });
  tx.wake.add(QUESTIONS_TOPIC);
  return { question: getQuestion(tx, seq) };
}

/** Records the answer and puts it in the asker's inbox too, for an asker that is not waiting. */
export function answerQuestion(
  tx: Tx,
  input: Mutation & { seq: number; answer: string },
): { question: Question } {
  touchActor(tx);
  const question = getQuestion(tx, input.seq);
  if (question.status === "expired") {
    throw new BatonError(
      "invalid_state",
      `${question.id} has expired: ${question.note ?? "nobody waits for its answer any more"}`,
      "nothing waits for this answer any more; if it still matters, tell the agent in a message",
      { id: question.id, status: question.status },
    );
  }
  if (question.status !== "open") {
    throw new BatonError(
      "invalid_state",
      `${question.id} was already answered by ${question.answeredBy}: ${question.answer}`,
      "ask a new question if the answer must change",
      { id: question.id },
    );
  }
  tx.conn.run(
    `UPDATE questions SET status = 'answered', answer = ?, answered_by = ?, answered_at = ? WHERE seq = ?`,
    input.answer,
    tx.actor,
    tx.now,
    input.seq,
  );
  appendEvent(tx, {
    type: "question.answered",
    subject: question.id,
    summary: `${tx.actor} answered ${question.id}: ${input.answer}`,
    data: { before: { status: "open" }, after: { status: "answered", answer: input.answer } },
  });
  sendMessage(tx, {
    actor: tx.actor,
    kind: "direct",
    to: question.askedBy,
    body: `Answer to ${question.id} ("${question.text}"): ${input.answer}`,
    allowUnknown: true,
  });
  tx.wake.add(questionTopic(input.seq));
  return { question: getQuestion(tx, input.seq) };
}

export function getApproval(tx: Tx, seq: number): Approval {
  const row = tx.conn.get<ApprovalRow>(`SELECT * FROM approvals WHERE seq = ?`, seq);
  if (!row)
    throw new BatonError("not_found", `no approval A-${seq}`, {
      cli: "see the approvals with `baton approvals`",
      tool: "pass the id request_approval returned (A-2)",
    });
  return toApproval(row);
}

export function listApprovals(tx: Tx, input: { open?: boolean }): Approval[] {
  const where = input.open ? `WHERE status = 'pending'` : "";
  return tx.conn.all<ApprovalRow>(`SELECT * FROM approvals ${where} ORDER BY seq`).map(toApproval);
}

export function requestApproval(tx: Tx, input: RequestApprovalInput): { approval: Approval } {
  touchActor(tx);
  if (input.task) requireTask(tx, input.task);
  const ttl = input.ttlMs ?? null;
  if (ttl !== null && (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl < 0))
    throw new BatonError(
      "invalid_input",
      "an approval's time to live is a number of milliseconds",
      "e.g. 600000",
    );
  const { seq } = tx.conn.get<{ seq: number }>(
    `INSERT INTO approvals (requested_by, requested_at, action, plan, task, status, kind, expires_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING seq`,
    tx.actor,
    tx.now,
    input.action,
    input.plan,
    input.task,
    input.kind ?? "request",
    ttl === null ? null : tx.now + ttl,
  )!;
  appendEvent(tx, {
    type: "approval.requested",
    subject: `A-${seq}`,
    summary: `${tx.actor} asks approval${input.task ? ` for ${input.task}` : ""}: ${input.action}`,
    data: { after: { status: "pending", task: input.task, plan: input.plan !== null } },
  });
  tx.wake.add(APPROVALS_TOPIC);
  return { approval: getApproval(tx, seq) };
}

/** Only an identity of kind `human` may decide: messages are data, gated actions need a person. */
export function decideApproval(
  tx: Tx,
  input: Mutation & { seq: number; approve: boolean; note: string | null },
): { approval: Approval } {
  const actor = touchActor(tx);
  // One past its deadline is expired first: nothing waits for a decision on it any more.
  sweepExpiredApprovals(tx);
  const approval = getApproval(tx, input.seq);
  if (actor.kind !== "human") {
    throw new BatonError(
      "forbidden",
      `${tx.actor} is a ${actor.kind} agent; only a human may ${input.approve ? "approve" : "reject"} ${approval.id}`,
      'a person named in .baton/config.json ("humans") joins with `baton agent join NAME --kind human` and decides as that name',
      { id: approval.id, actor: tx.actor, kind: actor.kind },
    );
  }
  if (approval.status === "expired") {
    throw new BatonError(
      "invalid_state",
      `${approval.id} has expired: ${approval.note ?? "the request it answered is over"}`,
      "nothing waits for this decision any more; if the work is still wanted, the agent asks again",
      { id: approval.id, status: approval.status },
    );
  }
  if (approval.status !== "pending") {
    throw new BatonError(
      "invalid_state",
      `${approval.id} was already ${approval.status} by ${approval.decidedBy}`,
      "request a new approval if needed",
      {
        id: approval.id,
      },
    );
  }
  const status = input.approve ? "approved" : "rejected";
  tx.conn.run(
    `UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, note = ? WHERE seq = ?`,
    status,
    tx.actor,
    tx.now,
    input.note,
    input.seq,
  );
  appendEvent(tx, {
    type: `approval.${status}`,
    subject: approval.id,
    summary: `${tx.actor} ${status} ${approval.id} (${approval.action})${input.note ? `: ${input.note}` : ""}`,
    data: { before: { status: "pending" }, after: { status, note: input.note } },
  });
  sendMessage(tx, {
    actor: tx.actor,
    kind: "direct",
    to: approval.requestedBy,
    body: `${approval.id} ${status} ("${approval.action}")${input.note ? `: ${input.note}` : ""}`,
    allowUnknown: true,
  });
  tx.wake.add(approvalTopic(input.seq));
  return { approval: getApproval(tx, input.seq) };
}

/**
 * The requester withdraws its own pending approval because what it would
 * have allowed can no longer happen (the run that asked has ended, or stopped
 * waiting): a decision made after this would be approving nothing. It leaves
 * the open list, and a human who tries to decide it later is told why. Only
 * the requester may do it, and only while the approval is pending; the
 * decision, once made, is never rewritten.
 */
export function expireApproval(
  tx: Tx,
  input: Mutation & { seq: number; note: string },
): { approval: Approval } {
  touchActor(tx);
  sweepExpiredApprovals(tx);
  const approval = getApproval(tx, input.seq);
  if (approval.requestedBy !== tx.actor) {
    throw new BatonError(
      "forbidden",
      `${approval.id} was requested by ${approval.requestedBy}; only the requester may expire it`,
      {
        cli: "a human decides it instead: baton approve or baton reject",
        tool: "a human decides it: leave it to them",
      },
      { id: approval.id, actor: tx.actor },
    );
  }
  if (approval.status !== "pending") return { approval };
  tx.conn.run(
    `UPDATE approvals SET status = 'expired', decided_by = ?, decided_at = ?, note = ? WHERE seq = ?`,
    tx.actor,
    tx.now,
    input.note,
    input.seq,
  );
  appendEvent(tx, {
    type: "approval.expired",
    subject: approval.id,
    summary: `${approval.id} expired (${approval.action}): ${input.note}`,
    data: { before: { status: "pending" }, after: { status: "expired", note: input.note } },
  });
  tx.wake.add(approvalTopic(input.seq));
  tx.wake.add(APPROVALS_TOPIC);
  return { approval: getApproval(tx, input.seq) };
}

/** The gate on completing a plan-required task: an approved approval for it must exist. */
export function requireApprovedPlan(tx: Tx, taskId: string): void {
  // Only a plan or action asked about counts: a host's tool permission approved on the task does not.
  const approved = tx.conn.get(
    `SELECT 1 FROM approvals WHERE task = ? AND status = 'approved' AND kind = 'request' LIMIT 1`,
    taskId,
  );
  if (approved) return;
  const pending = tx.conn.get<{ seq: number }>(
    `SELECT seq FROM approvals WHERE task = ? AND status = 'pending' AND kind = 'request' ORDER BY seq DESC`,
    taskId,
  );
  throw new BatonError(
    "approval_required",
    `${taskId} needs an approved plan before it can be done${pending ? ` (A-${pending.seq} is waiting for a human)` : ""}`,
    pending
      ? {
          cli: `wait for the decision: baton approval show A-${pending.seq} --wait 30m`,
          tool: `wait for the decision with get_answer (id A-${pending.seq}), then call complete_task again`,
        }
      : {
          cli: `submit one: baton approval request "plan for ${taskId}" --plan plan.md --task ${taskId} --wait 30m`,
          tool: `submit your plan with request_approval (task_id ${taskId}, plan), and once it is approved call complete_task again`,
        },
    { id: taskId },
  );
}
