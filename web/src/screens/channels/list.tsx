import { useState } from "preact/hooks";
import { type ApiError, post } from "../../api";
import { navigate } from "../../router";
import { BROADCASTS, type Channel, type Unread, type Where } from "./model";

export interface Person {
  name: string;
  kind: string;
  status?: string;
}

/** Every conversation the human has: the channels, a direct one per teammate, the broadcasts; each with its unread count. */
export function ConversationList({
  channels,
  people,
  unread,
  me,
  current,
  heading,
  onChanged,
}: {
  channels: Channel[];
  people: Person[];
  unread: Unread | undefined;
  me: string;
  current: Where | undefined;
  heading: "h1" | "h2";
  onChanged: () => void;
}) {
  const Heading = heading;
  const Sub = heading === "h1" ? "h2" : "h3";
  const others = people.filter((p) => p.name !== me);
  const isCurrent = (kind: string, name: string) =>
    current?.kind === kind &&
    (current.kind === "channel" ? current.name : current.kind === "direct" ? current.agent : "") === name;
  return (
    <nav class="conversations" aria-labelledby="conversations-title">
      <Heading id="conversations-title" class={heading === "h2" ? "sr-only" : undefined}>
        {heading === "h1" ? "Channels" : "Conversations"}
      </Heading>
      <Sub>Channels</Sub>
      {channels.length === 0 ? <p class="empty">No channels yet.</p> : null}
      <ul>
        {channels.map((c) => (
          <li key={c.name}>
            <Row
              href={`/channels/${encodeURIComponent(c.name)}`}
              label={`#${c.name}`}
              detail={c.topic ?? `${c.messages} messages`}
              unread={unread?.channels[c.name] ?? 0}
              current={isCurrent("channel", c.name)}
            />
          </li>
        ))}
      </ul>
      <AddChannel onAdded={onChanged} />
      <Sub>Direct messages</Sub>
      {others.length === 0 ? <p class="empty">No one else has joined yet.</p> : null}
      <ul>
        {others.map((p) => (
          <li key={p.name}>
            <Row
              href={`/channels/@${encodeURIComponent(p.name)}`}
              label={p.name}
              detail={p.kind === "human" ? "human" : (p.status ?? p.kind)}
              unread={unread?.inbox[p.name] ?? 0}
              current={isCurrent("direct", p.name)}
            />
          </li>
        ))}
      </ul>
      <Sub>Everyone</Sub>
      <ul>
        <li>
          <Row
            href={`/channels/${BROADCASTS}`}
            label="Broadcasts"
            detail="to every agent"
            unread={0}
            current={current?.kind === "broadcasts"}
          />
        </li>
      </ul>
    </nav>
  );
}

function Row(props: { href: string; label: string; detail: string; unread: number; current: boolean }) {
  return (
    <a class="conv" href={props.href} aria-current={props.current ? "page" : undefined}>
      <span class="name">{props.label}</span>
      <span class="detail">{props.detail}</span>
      {props.unread > 0 ? (
        <span class="count">
          {props.unread}
          <span class="sr-only"> unread</span>
        </span>
      ) : null}
    </a>
  );
}

/** Opens a channel (adding one that exists changes nothing) and goes to it. */
function AddChannel({ onAdded }: { onAdded: () => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [topic, setTopic] = useState("");
  const [failure, setFailure] = useState<ApiError | undefined>();
  if (!open)
    return (
      <button type="button" class="add" onClick={() => setOpen(true)}>
        Add a channel
      </button>
    );
  return (
    <form
      class="add-channel"
      onSubmit={(e) => {
        e.preventDefault();
        setFailure(undefined);
        post<{ channel: Channel }>("/channels", {
          name: name.trim(),
          ...(topic.trim() ? { topic: topic.trim() } : {}),
        })
          .then(({ channel }) => {
            setOpen(false);
            setName("");
            setTopic("");
            onAdded();
            navigate(`/channels/${encodeURIComponent(channel.name)}`);
          })
          .catch((error: ApiError) => setFailure(error));
      }}
    >
      <label>
        Channel name
        <input
          value={name}
          required
          maxLength={41}
          pattern="#?[a-z0-9][a-z0-9_\-]{0,39}"
          title="up to 40 lowercase letters, digits, _ and -"
          autoCapitalize="none"
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        Topic (optional)
        <input
          value={topic}
          maxLength={2000}
          onInput={(e) => setTopic((e.target as HTMLInputElement).value)}
        />
      </label>
      <div class="compose-row">
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
        <button type="submit">Add</button>
      </div>
      {failure ? (
        <p role="alert" class="failure">
          {failure.message} <span class="hint">{failure.hint}</span>
        </p>
      ) : null}
    </form>
  );
}
