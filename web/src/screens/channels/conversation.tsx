import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, get, post } from "../../api";
import { useLive } from "../../live";
import { Compose } from "./compose";
import { MessageRow } from "./message";
import {
  aboutMessages,
  type Message,
  pageUrl,
  pathOf,
  titleOf,
  type Unread,
  unreadIn,
  type Where,
} from "./model";

const PAGE = 50;

/**
 * Reads the newest page, and pages before it until it meets what is already
 * shown: nothing between the newest and what the person scrolled back to is
 * skipped, however many came while the page was asleep.
 */
async function catchUp(where: Where, shown: Message[]): Promise<{ messages: Message[]; more: boolean }> {
  const known = new Set(shown.map((m) => m.id));
  let fresh: Message[] = [];
  let before: string | undefined;
  let more = false;
  for (;;) {
    const { messages } = await get<{ messages: Message[] }>(pageUrl(where, before, PAGE));
    fresh = [...messages.filter((m) => !known.has(m.id)), ...fresh];
    more = messages.length === PAGE;
    if (!more || shown.length === 0 || messages.some((m) => known.has(m.id))) break;
    before = messages[0]!.id;
  }
  const all = [...shown, ...fresh].sort((a, b) => a.seq - b.seq);
  return { messages: all, more };
}

/** One conversation: its messages oldest to newest, earlier pages on request, and a box to write in. */
export function Conversation({
  where,
  me,
  unread,
  topic,
}: {
  where: Where;
  me: string;
  unread: Unread | undefined;
  /** A channel's topic, shown under its name. */
  topic?: string | null;
}) {
  const [messages, setMessages] = useState<Message[] | undefined>();
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | undefined>();
  /** Said to a screen reader when someone else's message arrives (not on the first load). */
  const [news, setNews] = useState("");
  const shown = useRef<Message[]>([]);
  const list = useRef<HTMLOListElement>(null);

  const reload = useCallback(() => {
    const before = shown.current;
    catchUp(where, before)
      .then((next) => {
        if (before.length > 0) {
          const known = new Set(before.map((m) => m.id));
          const theirs = next.messages.filter((m) => !known.has(m.id) && m.sender !== me);
          if (theirs.length) setNews(`New message from ${theirs.at(-1)!.sender}`);
        } else setMore(next.more);
        shown.current = next.messages;
        setMessages(next.messages);
        setError(undefined);
      })
      .catch((e: ApiError) => setError(`${e.message}. ${e.hint}`));
  }, []);
  useEffect(reload, []);
  useLive(aboutMessages, reload);

  const earlier = () => {
    const first = shown.current[0];
    if (!first) return;
    get<{ messages: Message[] }>(pageUrl(where, first.id, PAGE))
      .then(({ messages: page }) => {
        shown.current = [...page, ...shown.current];
        setMessages(shown.current);
        setMore(page.length === PAGE);
      })
      .catch((e: ApiError) => setError(e.message));
  };

  // Opening a conversation reads it: its unread messages are acknowledged (never before the human looks).
  const waiting = unreadIn(where, unread);
  useEffect(() => {
    if (!messages || waiting === 0 || document.visibilityState !== "visible") return;
    const ack =
      where.kind === "channel"
        ? post(`/channels/${encodeURIComponent(where.name)}/read`, { ack: true, limit: waiting })
        : where.kind === "direct"
          ? post(`/direct/${encodeURIComponent(where.agent)}/read`, {})
          : undefined;
    ack?.catch(() => undefined);
  }, [messages, waiting]);

  // The newest message in view on first load, as in any chat.
  const first = useRef(true);
  useEffect(() => {
    if (!messages?.length || !first.current) return;
    first.current = false;
    list.current?.lastElementChild?.scrollIntoView({ block: "end" });
  }, [messages]);

  const here = pathOf(where);
  const replies = new Map<string, number>();
  for (const m of messages ?? []) if (m.thread) replies.set(m.thread, (replies.get(m.thread) ?? 0) + 1);
  return (
    <section class="conversation" aria-labelledby="conversation-title">
      <header class="conversation-head">
        <a class="back" href="/channels">
          <span aria-hidden="true">← </span>All conversations
        </a>
        <h1 id="conversation-title">{titleOf(where)}</h1>
        {topic ? <p class="topic">{topic}</p> : null}
      </header>
      {error ? <p role="alert">{error}</p> : null}
      {!messages ? <p aria-busy="true">Loading…</p> : null}
      {more ? (
        <button type="button" class="earlier" onClick={earlier}>
          Show earlier messages
        </button>
      ) : null}
      {messages?.length === 0 ? <p class="empty">No messages yet. Write the first.</p> : null}
      <ol class="messages" ref={list}>
        {(messages ?? []).map((m) => (
          <li key={m.id}>
            <MessageRow
              message={m}
              me={me}
              threadHref={`${here}/${m.thread ?? m.id}`}
              replies={replies.get(m.id)}
            />
          </li>
        ))}
      </ol>
      <p class="sr-only" aria-live="polite">
        {news}
      </p>
      <Compose
        where={where}
        label={where.kind === "broadcasts" ? "Broadcast to every agent" : `Message ${titleOf(where)}`}
        onSent={reload}
      />
    </section>
  );
}
