import { useCallback, useEffect, useState } from "preact/hooks";
import { type ApiError, get } from "../../api";
import { useLive } from "../../live";
import { Compose } from "./compose";
import { MessageRow } from "./message";
import { aboutMessages, type Message, pathOf, titleOf, type Where } from "./model";

/** A message and every reply to it, with a box to reply in the same conversation. */
export function Thread({ where, id, me }: { where: Where; id: string; me: string }) {
  const [messages, setMessages] = useState<Message[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const reload = useCallback(() => {
    get<{ messages: Message[] }>(`/messages/${encodeURIComponent(id)}/thread`)
      .then(({ messages: next }) => {
        setMessages(next);
        setError(undefined);
      })
      .catch((e: ApiError) => setError(`${e.message}. ${e.hint}`));
  }, [id]);
  useEffect(reload, [id]);
  useLive(aboutMessages, reload);
  const root = messages?.[0];
  return (
    <section class="conversation" aria-labelledby="conversation-title">
      <header class="conversation-head">
        <a class="back" href={pathOf(where)}>
          <span aria-hidden="true">← </span>
          {titleOf(where)}
        </a>
        <h1 id="conversation-title">Thread {root?.id ?? id}</h1>
      </header>
      {error ? <p role="alert">{error}</p> : null}
      {!messages && !error ? <p aria-busy="true">Loading…</p> : null}
      <ol class="messages">
        {(messages ?? []).map((m) => (
          <li key={m.id}>
            <MessageRow message={m} me={me} />
          </li>
        ))}
      </ol>
      {root ? (
        <Compose
          where={where}
          label={`Reply to ${root.sender} in ${titleOf(where)}`}
          replyTo={root.id}
          onSent={reload}
        />
      ) : null}
    </section>
  );
}
