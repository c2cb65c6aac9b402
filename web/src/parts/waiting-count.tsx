import { useEffect } from "preact/hooks";
import { useLiveResource } from "../live";

const MATTERS = /^(question|approval|escalation|message|task)\./;

/**
 * How many things wait for the human, beside "Inbox" on every screen and in
 * the tab's title: who needs them shows at a glance wherever they are.
 */
export function WaitingCount() {
  const { data } = useLiveResource<{ items: unknown[] }>("/inbox", (e) => MATTERS.test(e.type));
  const count = data?.items.length ?? 0;
  useEffect(() => {
    document.title = count > 0 ? `(${count}) baton` : "baton";
  }, [count]);
  if (count === 0) return null;
  return (
    <span class="nav-count">
      {count}
      <span class="sr-only"> waiting</span>
    </span>
  );
}
