import type { HumanInbox, InboxItem } from "../domain/inbox.js";
import { permissionView } from "../domain/permission-view.js";
import type { Approval, Question } from "../domain/types.js";

export type { HumanInbox, InboxItem };

import type { ServiceContext } from "./service-context.js";
import { unreadNotices } from "./unread-notices.js";

/** How far back the inbox shows what expired unanswered. */
const MISSED_MS = 24 * 60 * 60 * 1000;

function urgentThenOldest(a: InboxItem, b: InboxItem): number {
  return Number(b.urgent) - Number(a.urgent) || a.at - b.at;
}

/**
 * Everything that waits for the humans, in one read: the web app's home screen
 * (and what its notifications point at). Questions, approvals and escalations
 * wait for whichever human acts first; urgent messages are the caller's own.
 */
export class InboxService {
  constructor(private readonly ctx: ServiceContext) {}

  async forHuman(): Promise<HumanInbox> {
    const { store } = this.ctx;
    const now = this.ctx.clock.now();
    const me = this.ctx.whoami();
    const [questions, approvals, escalations, tasks] = await Promise.all([
      store.listQuestions({}),
      store.listApprovals({}),
      store.listEscalations({ open: true }),
      store.listTasks({}),
    ]);
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const taskOf = (id: string | null): InboxItem["task"] => {
      const task = id ? byId.get(id) : undefined;
      return task ? { id: task.id, title: task.title, status: task.status } : null;
    };
    const items: InboxItem[] = [];
    const missed: InboxItem[] = [];
    for (const q of questions) {
      const item = this.question(q, taskOf(q.task));
      if (item?.state === "open") items.push(item);
      else if (item && now - (q.answeredAt ?? q.askedAt) < MISSED_MS) missed.push(item);
    }
    for (const a of approvals) {
      const item = this.approval(a, taskOf(a.task), now);
      if (item?.state === "open") items.push(item);
      else if (item && now - (a.decidedAt ?? a.expiresAt ?? now) < MISSED_MS) missed.push(item);
    }
    for (const e of escalations) {
      items.push({
        kind: "escalation",
        id: e.id,
        from: e.by,
        task: taskOf(e.task),
        at: e.at,
        text: e.reason,
        urgent: true,
        state: "open",
      });
    }
    if (me) {
      for (const m of await unreadNotices(store, me, 100)) {
        if (!m.urgent) continue;
        items.push({
          kind: "message",
          id: m.id,
          from: m.sender,
          task: null,
          at: m.at,
          text: m.body,
          urgent: true,
          state: "open",
        });
      }
    }
    items.sort(urgentThenOldest);
    missed.sort((a, b) => b.at - a.at);
    return { items, missed };
  }

  /** The question as an item; undefined once answered (it waits for nobody, and nobody missed it). */
  private question(q: Question, task: InboxItem["task"]): InboxItem | undefined {
    const base: InboxItem = {
      kind: "question",
      id: q.id,
      from: q.askedBy,
      task,
      at: q.askedAt,
      text: q.text,
      urgent: false,
      options: q.options,
      state: "open",
    };
    if (q.status === "open") return base;
    return q.status === "expired" ? { ...base, state: "expired", why: q.note ?? "expired" } : undefined;
  }

  /** The approval as an item; undefined once decided. */
  private approval(a: Approval, task: InboxItem["task"], now: number): InboxItem | undefined {
    const base: InboxItem = {
      kind: "approval",
      id: a.id,
      from: a.requestedBy,
      task,
      at: a.requestedAt,
      text: a.action,
      urgent: false,
      plan: a.plan,
      approvalKind: a.kind,
      ...(a.kind === "permission" ? { permission: permissionView(a.plan) } : {}),
      expiresAt: a.expiresAt,
      state: "open",
    };
    if (a.status === "pending" && (a.expiresAt === null || a.expiresAt > now)) return base;
    if (a.status === "pending")
      return { ...base, state: "expired", why: "no decision came before its deadline" };
    if (a.status === "expired")
      return { ...base, state: "expired", why: a.note ?? "the request it answered is over" };
    return undefined;
  }
}
