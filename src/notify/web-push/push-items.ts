import type { PushKind } from "../../domain/push.js";
import type { BatonEvent } from "../../domain/types.js";
import type { Store } from "../../store/port.js";
import type { PushPayload } from "./send.js";

/** The events that can mean something now waits for a human. */
export const PUSH_EVENT_TYPES = ["question.asked", "approval.requested", "task.escalated", "message.sent"];

/** One thing waiting for people, as a notification: for whom, and what it says. */
export interface PushItem {
  kind: PushKind;
  /** `Q-3`, `A-2`, `E-1`, `M-7`: the notification's tag and Topic, and what it is recorded under. */
  id: string;
  /** Who made it wait: never notified of their own doing. */
  actor: string;
  /** The humans it waits for. */
  audience: string[];
  payload: PushPayload;
  urgent: boolean;
}

/** Notification text is a glance, not the item: the inbox has the rest. */
const clip = (text: string, max = 180) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function seqOf(id: string | null | undefined): number | undefined {
  const match = /^[A-Z]-(\d+)$/.exec(id ?? "");
  return match ? Number(match[1]) : undefined;
}

function item(kind: PushKind, id: string, actor: string, audience: string[], title: string, body: string) {
  return {
    kind,
    id,
    actor,
    audience,
    urgent: kind === "escalation" || kind === "message",
    payload: { title: clip(title, 80), body: clip(body), tag: id, url: `/inbox/${id}` },
  };
}

/**
 * The item an event announces, read as it stands now: undefined when the
 * event announces nothing for a human, or the item no longer waits (answered
 * before the push went out: a hub catching up after a restart stays quiet
 * about what is done). Questions, approvals and escalations wait for any of
 * the team's humans; an urgent direct message, for the human it was sent to.
 */
export async function pushItemOf(
  store: Store,
  event: BatonEvent,
  humans: readonly string[],
): Promise<PushItem | undefined> {
  const everyone = humans.filter((h) => h !== event.actor);
  const after = (event.data.after ?? {}) as Record<string, unknown>;
  switch (event.type) {
    case "question.asked": {
      const seq = seqOf(event.subject);
      if (seq === undefined) return undefined;
      const q = await store.getQuestion({ seq });
      if (q.status !== "open") return undefined;
      const about = q.task ? ` (${q.task})` : "";
      return item("question", q.id, q.askedBy, everyone, `${q.askedBy} asks${about}`, q.text);
    }
    case "approval.requested": {
      const seq = seqOf(event.subject);
      if (seq === undefined) return undefined;
      const a = await store.getApproval({ seq });
      if (a.status !== "pending") return undefined;
      const what = a.kind === "permission" ? "asks to run" : "asks approval";
      return item("approval", a.id, a.requestedBy, everyone, `${a.requestedBy} ${what}`, a.action);
    }
    case "task.escalated": {
      const id = typeof after.escalation === "string" ? after.escalation : undefined;
      const e = (await store.listEscalations({ open: true })).find((x) => x.id === id);
      if (!e) return undefined;
      return item("escalation", e.id, e.by, everyone, `${e.by} escalated ${e.task}`, e.reason);
    }
    case "message.sent": {
      if (after.urgent !== true || after.kind !== "direct" || typeof after.to !== "string") return undefined;
      const to = humans.find((h) => h === after.to);
      const seq = Number(String(after.id ?? "").replace(/^M-/, ""));
      if (!to || to === event.actor || !Number.isSafeInteger(seq)) return undefined;
      const message = (await store.getThread({ seq })).find((m) => m.seq === seq);
      if (!message) return undefined;
      return item("message", message.id, message.sender, [to], `${message.sender} (urgent)`, message.body);
    }
    default:
      return undefined;
  }
}
