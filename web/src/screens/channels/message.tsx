import { when } from "../../time";
import type { Message } from "./model";

/**
 * One message: who, when, its text as text (never markup), and a link to its
 * thread. `replies` counts the replies this page holds, so a thread shows how
 * big it is without another request.
 */
export function MessageRow({
  message,
  me,
  threadHref,
  replies = 0,
}: {
  message: Message;
  me: string;
  threadHref?: string;
  replies?: number;
}) {
  const mine = message.sender === me;
  return (
    <article
      class={`msg${mine ? " mine" : ""}${message.urgent ? " urgent" : ""}`}
      aria-label={`${message.sender}, ${when(message.at)}`}
      data-id={message.id}
    >
      <header>
        <span class="from">{mine ? `${message.sender} (you)` : message.sender}</span>
        {message.urgent ? <span class="tag urgent">urgent</span> : null}
        {message.kind === "broadcast" ? <span class="tag">broadcast</span> : null}
        {message.kind === "escalation" ? <span class="tag urgent">escalation</span> : null}
        {message.kind === "direct" && message.to && mine ? <span class="to">to {message.to}</span> : null}
        <time dateTime={new Date(message.at).toISOString()} title={new Date(message.at).toLocaleString()}>
          {when(message.at)}
        </time>
      </header>
      <p class="body">{message.body}</p>
      <footer>
        <span class="id">{message.id}</span>
        {message.replyTo ? <span class="re">reply to {message.replyTo}</span> : null}
        {threadHref ? (
          <a
            href={threadHref}
            aria-label={
              replies
                ? `${replies} ${replies === 1 ? "reply" : "replies"} to ${message.id}`
                : `Reply to ${message.id}`
            }
          >
            {replies ? `${replies} ${replies === 1 ? "reply" : "replies"}` : "Reply"}
          </a>
        ) : null}
      </footer>
    </article>
  );
}
