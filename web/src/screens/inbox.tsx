import { useEffect, useState } from "preact/hooks";
import type { ScreenProps } from "../app";
import { useLiveResource } from "../live";
import { ItemCard } from "./inbox/item-card";
import type { Inbox as InboxData } from "./inbox/types";

/** What the inbox re-reads on: anything that adds, settles or expires what waits, or changes its task. */
const MATTERS = /^(question|approval|escalation|message|task)\./;

/** Missed items this recent are shown unfolded: the human just missed them and should see why. */
const RECENT_MS = 15 * 60 * 1000;

/** The clock, ticking: ages and deadlines move on without a reload. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The home screen: every open question, approval, escalation and urgent
 * message, urgent then oldest first, each settled with one tap. Live: it
 * re-reads the hub's inbox whenever an event could change it.
 */
export function Inbox({ rest }: ScreenProps) {
  const { data: inbox, error, reload } = useLiveResource<InboxData>("/inbox", (e) => MATTERS.test(e.type));
  const now = useNow(5_000);

  const focus = rest[0];
  if (!inbox) return <p aria-busy="true">{error ? `${error.message} ${error.hint}` : "Loading…"}</p>;
  const recentMiss = inbox.missed.some((m) => now - m.at < RECENT_MS || m.id === focus);
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">
        Inbox{" "}
        <span class="count">
          {inbox.items.length}
          <span class="sr-only"> waiting</span>
        </span>
      </h1>
      {error ? (
        <p role="alert">
          {error.message}: {error.status === 0 ? "trying again…" : error.hint}
        </p>
      ) : null}
      {inbox.items.length === 0 ? <p class="empty">Nothing waits for you.</p> : null}
      <ol class="items" aria-label="Waiting for you">
        {inbox.items.map((item) => (
          <li key={item.id}>
            <ItemCard item={item} focused={item.id === focus} now={now} onDone={reload} />
          </li>
        ))}
      </ol>
      {inbox.missed.length > 0 ? (
        <details class="missed folds" open={recentMiss}>
          <summary>Expired before anyone acted ({inbox.missed.length})</summary>
          <ol class="items" aria-label="Expired">
            {inbox.missed.map((item) => (
              <li key={item.id}>
                <ItemCard item={item} focused={item.id === focus} now={now} onDone={reload} />
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}
