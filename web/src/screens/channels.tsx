import { useCallback, useEffect, useState } from "preact/hooks";
import { type ApiError, get } from "../api";
import type { ScreenProps } from "../app";
import { useLive } from "../live";
import { Conversation } from "./channels/conversation";
import { ConversationList, type Person } from "./channels/list";
import { aboutMessages, type Channel, parseWhere, pathOf, type Unread } from "./channels/model";
import { Thread } from "./channels/thread";
import "./channels/channels.css";

/**
 * Channels and direct messages: `/channels` lists every conversation,
 * `/channels/dev`, `/channels/@claude-1` and `/channels/~broadcasts` open one,
 * and a message id after it opens that thread. On a phone one of list or
 * conversation fills the screen; from 900 px they sit side by side.
 */
export default function Channels({ rest, session }: ScreenProps) {
  const where = parseWhere(rest[0]);
  const thread = rest[1];
  const [channels, setChannels] = useState<Channel[]>([]);
  const [people, setPeople] = useState<Person[]>([]);
  const [unread, setUnread] = useState<Unread | undefined>();
  const [error, setError] = useState<string | undefined>();
  const reload = useCallback(() => {
    Promise.all([
      get<{ channels: Channel[] }>("/channels"),
      get<{ agents: Person[] }>("/agents"),
      get<Unread>("/messages/unread"),
    ])
      .then(([c, a, u]) => {
        setChannels(c.channels);
        setPeople(a.agents);
        setUnread(u);
        setError(undefined);
      })
      .catch((e: ApiError) => setError(`${e.message}. ${e.hint}`));
  }, []);
  useEffect(reload, []);
  useLive((e) => aboutMessages(e) || e.type.startsWith("agent."), reload);

  return (
    <div class={`chat${where ? " open" : ""}`}>
      {error ? <p role="alert">{error}</p> : null}
      {/* The conversation comes first, so its h1 leads the page; the grid puts the list on the left. */}
      {where && thread ? (
        <Thread key={`${pathOf(where)}/${thread}`} where={where} id={thread} me={session.name} />
      ) : where ? (
        <Conversation
          key={pathOf(where)}
          where={where}
          me={session.name}
          unread={unread}
          topic={where.kind === "channel" ? channels.find((c) => c.name === where.name)?.topic : undefined}
        />
      ) : (
        <p class="pick empty">Pick a channel or a teammate to read and write.</p>
      )}
      <ConversationList
        channels={channels}
        people={people}
        unread={unread}
        me={session.name}
        current={where}
        heading={where ? "h2" : "h1"}
        onChanged={reload}
      />
    </div>
  );
}
