import { formatMessageId } from "../../../domain/message-rules.js";
import type { Escalation } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import type { Mutation } from "../../port.js";
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
): { escalation: Escalation } {
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
  const { message, humans } = messageHumans(tx, body);
  const { seq } = tx.conn.get<{ seq: number }>(
    `INSERT INTO escalations (task, at, by, reason, message) VALUES (?, ?, ?, ?, ?) RETURNING seq`,
    task.id,
    tx.now,
    tx.actor,
    input.reason,
    message,
  )!;
  const row = requireEscalation(tx, seq);
  tx.conn.run(`UPDATE tasks SET escalated_at = ? WHERE id = ?`, tx.now, task.id);
  appendEvent(tx, {
    type: "task.escalated",
    subject: task.id,
    summary: `${tx.actor} escalated ${task.id} to ${humans.length ? humans.join(", ") : "the humans (no other human has joined)"}: ${input.reason}`,
    data: {
      before: { escalatedAt: task.escalatedAt },
      after: { escalation: `E-${row.seq}`, message: formatMessageId(message) },
    },
  });
  return { escalation: toEscalation(row) };
}

const ESCALATION_SELECT = `SELECT e.*, t.status AS task_status FROM escalations e JOIN tasks t ON t.id = e.task`;

function requireEscalation(tx: Tx, seq: number): EscalationRow {
  const row = tx.conn.get<EscalationRow>(`${ESCALATION_SELECT} WHERE e.seq = ?`, seq);
  if (!row) {
    throw new BatonError("not_found", `no escalation E-${seq}`, {
      cli: "list them with `baton escalations`",
      tool: "list them with list_escalations",
    });
  }
  return row;
}

export function listEscalations(tx: Tx, input: { task?: string; open?: boolean }): Escalation[] {
  const rows = input.task
    ? tx.conn.all<EscalationRow>(`${ESCALATION_SELECT} WHERE e.task = ? ORDER BY e.seq`, input.task)
    : tx.conn.all<EscalationRow>(`${ESCALATION_SELECT} ORDER BY e.seq`);
  const all = rows.map(toEscalation);
  return input.open ? all.filter((e) => e.open) : all;
}

/** A human marks an escalation handled: it stops waiting for the humans. Resolving it again changes nothing. */
export function resolveEscalation(
  tx: Tx,
  input: Mutation & { seq: number; note: string | null },
): Escalation {
  const actor = touchActor(tx);
  const row = requireEscalation(tx, input.seq);
  if (actor.kind !== "human") {
    throw new BatonError(
      "forbidden",
      `${tx.actor} is a ${actor.kind} agent; only a human may resolve E-${row.seq}`,
      'a person named in .baton/config.json ("humans") joins with `baton agent join NAME --kind human` and resolves as that name',
      { id: `E-${row.seq}`, actor: tx.actor, kind: actor.kind },
    );
  }
  if (row.resolved_at !== null) return toEscalation(row);
  tx.conn.run(
    `UPDATE escalations SET resolved_at = ?, resolved_by = ?, note = ? WHERE seq = ?`,
    tx.now,
    tx.actor,
    input.note,
    row.seq,
  );
  appendEvent(tx, {
    type: "escalation.resolved",
    subject: row.task,
    summary: `${tx.actor} resolved E-${row.seq} (${row.task})${input.note ? `: ${input.note}` : ""}`,
    data: { before: { resolvedAt: null }, after: { escalation: `E-${row.seq}`, note: input.note } },
  });
  return toEscalation(requireEscalation(tx, row.seq));
}

/** The guardian's SLA pass: every unfinished task past its due time is escalated once. */
export function escalateOverdue(tx: Tx): string[] {
  const due = tx.conn.all<{ id: string; due_at: number }>(
    `SELECT id, due_at FROM tasks WHERE due_at IS NOT NULL AND escalated_at IS NULL AND due_at <= ?
       AND status IN ('open', 'claimed') ORDER BY due_at`,
    tx.now,
  );
  for (const task of due) {
    const minutes = Math.round((tx.now - task.due_at) / 60_000);
    escalateTask(tx, {
      actor: tx.actor,
      id: task.id,
      reason: `overdue: its SLA ran out ${minutes} min ago`,
    });
  }
  return due.map((task) => task.id);
}
