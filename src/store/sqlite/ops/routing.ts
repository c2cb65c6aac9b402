import { formatMessageId } from "../../../domain/message-rules.js";
import type { Escalation } from "../../../domain/types.js";
import type { Mutation, Notified } from "../../port.js";
import { messageHumans } from "../human-notice.js";
import { type EscalationRow, type EventRow, toEscalation, toEvent } from "../rows.js";
import { appendEvent, requireTask, type Tx, touchActor } from "../tx.js";

const iso = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16);

/**
 * Escalates a task to the humans: one message, delivered to every agent of kind
 * human, carrying the task, who holds it and its recent history, so the person
 * can act without digging.
 */
export function escalateTask(
  tx: Tx,
  input: Mutation & { id: string; reason: string },
): Notified<{ escalation: Escalation }> {
  if (tx.actor !== "guardian") touchActor(tx);
  const task = requireTask(tx, input.id);
  const history = tx.conn
    .all<EventRow>(
      `SELECT * FROM (SELECT * FROM events WHERE subject = ? ORDER BY seq DESC LIMIT 8) ORDER BY seq`,
      task.id,
    )
    .map(toEvent);
  const holder =
    task.status === "claimed"
      ? `Held by ${task.holder} (token ${task.token}); the claim ends ${iso(task.claimExpiresAt!)}.`
      : `Status ${task.status}${task.assignee ? `, assigned to ${task.assignee}` : ", nobody holds it"}.`;
  const body = [
    `Escalation: ${task.id} "${task.title}" (${task.queue}, priority ${task.priority}) — ${input.reason}`,
    `${holder} Attempts ${task.attempts} of ${task.maxAttempts}.${task.dueAt ? ` Due ${iso(task.dueAt)}.` : ""}`,
    "History:",
    ...history.map((event) => `  #${event.seq} ${iso(event.at)} ${event.summary}`),
  ].join("\n");
  const { message, humans, wake } = messageHumans(tx, body);
  const row = tx.conn.get<EscalationRow>(
    `INSERT INTO escalations (task, at, by, reason, message) VALUES (?, ?, ?, ?, ?) RETURNING *`,
    task.id,
    tx.now,
    tx.actor,
    input.reason,
    message,
  )!;
  tx.conn.run(`UPDATE tasks SET escalated_at = ? WHERE id = ?`, tx.now, task.id);
  appendEvent(tx, {
    type: "task.escalated",
    subject: task.id,
    summary: `${tx.actor} escalated ${task.id} to ${humans.length ? humans.join(", ") : "the humans (none has joined yet)"}: ${input.reason}`,
    data: {
      before: { escalatedAt: task.escalatedAt },
      after: { escalation: `E-${row.seq}`, message: formatMessageId(message) },
    },
  });
  return { escalation: toEscalation(row), wake };
}

export function listEscalations(tx: Tx, input: { task?: string }): Escalation[] {
  const rows = input.task
    ? tx.conn.all<EscalationRow>(`SELECT * FROM escalations WHERE task = ? ORDER BY seq`, input.task)
    : tx.conn.all<EscalationRow>(`SELECT * FROM escalations ORDER BY seq`);
  return rows.map(toEscalation);
}

/** The guardian's SLA pass: every unfinished task past its due time is escalated once. */
export function escalateOverdue(tx: Tx): { escalated: string[]; wake: string[] } {
  const due = tx.conn.all<{ id: string; due_at: number }>(
    `SELECT id, due_at FROM tasks WHERE due_at IS NOT NULL AND escalated_at IS NULL AND due_at <= ?
       AND status IN ('open', 'claimed') ORDER BY due_at`,
    tx.now,
  );
  const wake = new Set<string>();
  for (const task of due) {
    const minutes = Math.round((tx.now - task.due_at) / 60_000);
    const result = escalateTask(tx, {
      actor: tx.actor,
      id: task.id,
      reason: `overdue: its SLA ran out ${minutes} min ago`,
    });
    for (const topic of result.wake) wake.add(topic);
  }
  return { escalated: due.map((task) => task.id), wake: [...wake] };
}
