import type { LiveEvent } from "../../live";
import { when } from "../../time";

const TASK = /^T-\d+$/;
/** Questions, approvals and escalations open in the inbox, focused. */
const INBOX_ITEM = /^[QAE]-\d+$/;

/** Where an event's subject opens in the app, when it is something the app shows. */
export function subjectHref(event: LiveEvent): string | undefined {
  const subject = event.subject;
  if (!subject) return undefined;
  if (TASK.test(subject)) return `/board/${subject}`;
  if (INBOX_ITEM.test(subject)) return `/inbox/${subject}`;
  if (event.type.startsWith("agent.")) return `/agents/${encodeURIComponent(subject)}`;
  if (subject.startsWith("#")) return `/channels/${encodeURIComponent(subject.slice(1))}`;
  return undefined;
}

/** One event: when, who, what kind, and its summary, with its subject linked where the app has a screen for it. */
export function EventRow({ event, fresh }: { event: LiveEvent; fresh: boolean }) {
  const href = subjectHref(event);
  return (
    <article class={`event${fresh ? " fresh" : ""}`} data-seq={event.seq}>
      <header>
        <time dateTime={new Date(event.at).toISOString()} title={new Date(event.at).toLocaleString()}>
          {when(event.at)}
        </time>
        <a class="actor" href={`/agents/${encodeURIComponent(event.actor)}`}>
          {event.actor}
        </a>
        <code class="type">{event.type}</code>
        {event.subject ? (
          href ? (
            <a class="subject" href={href}>
              {event.subject}
            </a>
          ) : (
            <span class="subject">{event.subject}</span>
          )
        ) : null}
      </header>
      <p class="summary">{event.summary}</p>
    </article>
  );
}
