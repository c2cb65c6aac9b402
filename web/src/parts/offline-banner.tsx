import { useEffect, useState } from "preact/hooks";
import type { Connection } from "../live";

/** A blip shorter than this (a reconnect, the first connection) shows no banner. */
const QUIET_MS = 1500;

/** Says so when the page is not live: what it shows may be old, and it reconnects by itself. */
export function OfflineBanner({ state }: { state: Connection }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    setShown(false);
    if (state === "live") return;
    const timer = setTimeout(() => setShown(true), state === "offline" ? 0 : QUIET_MS);
    return () => clearTimeout(timer);
  }, [state]);
  if (state === "live" || !shown) return null;
  return (
    <div class={`banner ${state}`} role="status">
      {state === "offline"
        ? "Offline: what you see may be out of date. baton reconnects by itself."
        : "Reconnecting to the hub…"}
    </div>
  );
}
