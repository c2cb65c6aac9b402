import type { Connection } from "../live";

/** Says so when the page is not live: what it shows may be old, and it reconnects by itself. */
export function OfflineBanner({ state }: { state: Connection }) {
  if (state === "live") return null;
  return (
    <div class={`banner ${state}`} role="status">
      {state === "offline"
        ? "Offline: what you see may be out of date. baton reconnects by itself."
        : "Reconnecting to the hub…"}
    </div>
  );
}
