import type { LiveEvent } from "../../live";

/** A message as the hub gives it (src/domain/types.ts). */
export interface Message {
  id: string;
  seq: number;
  at: number;
  sender: string;
  kind: "direct" | "channel" | "broadcast" | "escalation";
  to: string | null;
  thread: string | null;
  replyTo: string | null;
  urgent: boolean;
  body: string;
}

export interface Channel {
  name: string;
  topic: string | null;
  messages: number;
}

export interface Unread {
  channels: Record<string, number>;
  inbox: Record<string, number>;
}

/**
 * Which conversation a path names. `/channels/dev` is a channel, `/channels/@claude-1` the
 * human's direct messages with that agent, `/channels/~broadcasts` the broadcasts: `@` and
 * `~` start neither a channel name nor an agent name, so the three never collide. A further
 * segment is a message id: that message's thread.
 */
export type Where =
  | { kind: "channel"; name: string }
  | { kind: "direct"; agent: string }
  | { kind: "broadcasts" };

export const BROADCASTS = "~broadcasts";

export function parseWhere(segment: string | undefined): Where | undefined {
  if (!segment) return undefined;
  const name = decodeURIComponent(segment);
  if (name === BROADCASTS) return { kind: "broadcasts" };
  if (name.startsWith("@")) return { kind: "direct", agent: name.slice(1) };
  return { kind: "channel", name: name.replace(/^#/, "") };
}

export function pathOf(where: Where): string {
  if (where.kind === "broadcasts") return `/channels/${BROADCASTS}`;
  if (where.kind === "direct") return `/channels/@${encodeURIComponent(where.agent)}`;
  return `/channels/${encodeURIComponent(where.name)}`;
}

export function titleOf(where: Where): string {
  if (where.kind === "broadcasts") return "Broadcasts";
  if (where.kind === "direct") return where.agent;
  return `#${where.name}`;
}

/** The API path that lists a page of this conversation. */
export function pageUrl(where: Where, before?: string, limit?: number): string {
  const base =
    where.kind === "broadcasts"
      ? "/broadcasts"
      : where.kind === "direct"
        ? `/direct/${encodeURIComponent(where.agent)}/messages`
        : `/channels/${encodeURIComponent(where.name)}/messages`;
  const query = new URLSearchParams();
  if (before) query.set("before", before);
  if (limit) query.set("limit", String(limit));
  const q = query.toString();
  return q ? `${base}?${q}` : base;
}

/** Where a new message of this conversation goes, and its body. */
export function sendRequest(
  where: Where,
  text: string,
  urgent: boolean,
  replyTo?: string,
): { path: string; body: Record<string, unknown> } {
  const extra = { ...(urgent ? { urgent } : {}), ...(replyTo ? { replyTo } : {}) };
  if (where.kind === "broadcasts") return { path: "/broadcasts", body: { text, ...extra } };
  if (where.kind === "direct") return { path: "/messages", body: { to: where.agent, text, ...extra } };
  return { path: `/channels/${encodeURIComponent(where.name)}/messages`, body: { text, ...extra } };
}

/** Events after which a conversation or the list may show something new. */
export const aboutMessages = (event: LiveEvent) =>
  event.type.startsWith("message") || event.type.startsWith("channel.");

/** How many unread the human has in this conversation. */
export function unreadIn(where: Where, unread: Unread | undefined): number {
  if (!unread) return 0;
  if (where.kind === "channel") return unread.channels[where.name] ?? 0;
  if (where.kind === "direct") return unread.inbox[where.agent] ?? 0;
  return 0;
}
