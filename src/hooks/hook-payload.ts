import { parsePrefixedId } from "../domain/human-rules.js";
import { parseMessageId } from "../domain/message-rules.js";
import type { BatonEvent } from "../domain/types.js";
import { isBatonError } from "../errors.js";
import type { Store } from "../store/port.js";

/**
 * The event types of the log each hook type is run for. Most are the same
 * name; `approval.decided` is either decision, and `agent.idle` is a finished
 * claim after which its holder holds no other (see `isIdleAfter`).
 */
export const HOOK_SOURCES: Record<string, readonly string[]> = {
  "approval.decided": ["approval.approved", "approval.rejected"],
  "agent.idle": ["task.completed", "task.failed", "task.released"],
};

export function sourcesOf(hookType: string): readonly string[] {
  return HOOK_SOURCES[hookType] ?? [hookType];
}

/**
 * What a hook reads on stdin: the event from the log (type, actor, at, seq,
 * subject, summary, data) plus the object it is about as it is now (task,
 * message, question, approval, escalation), so a hook need not call back.
 * Undefined when the hook should not run for this event (agent.idle while the
 * agent still holds a claim).
 */
export async function hookPayload(
  store: Store,
  hookType: string,
  event: BatonEvent,
): Promise<Record<string, unknown> | undefined> {
  const base = {
    type: hookType,
    actor: event.actor,
    at: event.at,
    seq: event.seq,
    subject: event.subject,
    summary: event.summary,
    data: event.data,
  };
  if (hookType === "agent.idle") {
    const held = await store.listTasks({ status: ["claimed"], involving: event.actor });
    return held.some((task) => task.holder === event.actor) ? undefined : { ...base, agent: event.actor };
  }
  // A grant's fencing token is the seq of the event that records it (store/sqlite/tx.ts nextToken).
  const token = event.type === "task.claimed" ? { token: event.seq } : {};
  return { ...base, ...token, ...(await subjectOf(store, event)) };
}

/** The object an event is about, read now; nothing when it is gone or unknown. */
async function subjectOf(store: Store, event: BatonEvent): Promise<Record<string, unknown>> {
  const subject = event.subject ?? "";
  try {
    if (event.type === "task.escalated") {
      const id = (event.data.after as { escalation?: string } | undefined)?.escalation;
      const escalation = (await store.listEscalations({ task: subject })).find((e) => e.id === id);
      return escalation ? { escalation, task: await store.getTask({ id: subject }) } : {};
    }
    if (event.type.startsWith("task.")) return { task: await store.getTask({ id: subject }) };
    if (event.type.startsWith("question.")) {
      return { question: await store.getQuestion({ seq: parsePrefixedId(subject, "Q") }) };
    }
    if (event.type.startsWith("approval.")) {
      return { approval: await store.getApproval({ seq: parsePrefixedId(subject, "A") }) };
    }
    if (event.type === "message.sent") {
      const seq = parseMessageId(subject);
      const message = (await store.getThread({ seq })).find((m) => m.id === subject);
      const recipients = (event.data.after as { recipients?: number } | undefined)?.recipients;
      return message ? { message, recipients } : {};
    }
  } catch (error) {
    if (!isBatonError(error) || error.code !== "not_found") throw error;
  }
  return {};
}
