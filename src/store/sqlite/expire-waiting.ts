import { APPROVALS_TOPIC, approvalTopic, QUESTIONS_TOPIC, questionTopic } from "../../domain/human-rules.js";
import { appendEvent, type Tx } from "./tx.js";

/**
 * What waits for a human stops waiting when nobody waits for the answer any
 * more: its task ended (done, failed, cancelled, dead) or the agent that asked
 * left the team. Open questions and pending approvals about it become
 * `expired`, with why, in the same transaction as what ended them: an answer
 * or decision that comes after is refused, instead of approving nothing
 * (or an action the agent would take on a task nobody wants any more).
 */
export function expireWaitingFor(
  tx: Tx,
  on: { task: string } | { asker: string },
  why: string,
  actor: string = tx.actor,
): void {
  const [column, approvalColumn, value] =
    "task" in on ? (["task", "task", on.task] as const) : (["asked_by", "requested_by", on.asker] as const);
  const questions = tx.conn.all<{ seq: number; text: string }>(
    `UPDATE questions SET status = 'expired', answered_by = ?, answered_at = ?, note = ?
     WHERE status = 'open' AND ${column} = ? RETURNING seq, text`,
    actor,
    tx.now,
    why,
    value,
  );
  for (const q of questions) {
    appendEvent(tx, {
      actor,
      type: "question.expired",
      subject: `Q-${q.seq}`,
      summary: `Q-${q.seq} expired unanswered (${q.text}): ${why}`,
      data: { before: { status: "open" }, after: { status: "expired", note: why } },
    });
    tx.wake.add(questionTopic(q.seq));
  }
  if (questions.length > 0) tx.wake.add(QUESTIONS_TOPIC);
  const approvals = tx.conn.all<{ seq: number; action: string }>(
    `UPDATE approvals SET status = 'expired', decided_by = ?, decided_at = ?, note = ?
     WHERE status = 'pending' AND ${approvalColumn} = ? RETURNING seq, action`,
    actor,
    tx.now,
    why,
    value,
  );
  for (const a of approvals) {
    appendEvent(tx, {
      actor,
      type: "approval.expired",
      subject: `A-${a.seq}`,
      summary: `A-${a.seq} expired undecided (${a.action}): ${why}`,
      data: { before: { status: "pending" }, after: { status: "expired", note: why } },
    });
    tx.wake.add(approvalTopic(a.seq));
  }
  if (approvals.length > 0) tx.wake.add(APPROVALS_TOPIC);
}
