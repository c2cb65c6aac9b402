import { setTimeout as delay } from "node:timers/promises";
import { CHANGED } from "../notify/notifier.js";
import { PushOutbox } from "../notify/web-push/push-outbox.js";
import { superviseTeam } from "../orchestrator/supervisor/supervise-team.js";
import type { Hub } from "../services/hub.js";
import { RECHECK_MS } from "../services/wait.js";

/**
 * What the hub server runs besides answering requests: the guardian (expiries,
 * hung agents, SLAs) on its interval, and the outbox (hooks) after every
 * commit: its own (the hub starts a drain after each) and those of processes
 * that write the file directly, which it hears as CHANGED; and the team
 * `baton up` started, if any (an agent that dies is restarted); and Web Push
 * to the paired devices (notify/web-push/push-outbox.ts). Failures are
 * reported through `onError` and never stop the loops.
 */
export function runBackground(hub: Hub, onError: (error: unknown) => void): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const { signal } = stopping;
  const stopped = new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
  const guardian = hub.as("guardian");
  const sweeping = (async () => {
    while (!signal.aborted) {
      await guardian.agents.sweep().catch(onError);
      await delay(hub.config.guardianIntervalMs, undefined, { signal }).catch(() => undefined);
    }
  })();
  const following = (async () => {
    if (hub.outbox.empty) return;
    const subscription = await hub.notifier.subscribe([CHANGED]);
    try {
      while (!signal.aborted) {
        // Not awaited: a hook that runs long must not keep the next commits' hooks waiting, nor
        // the hub from stopping (each hook drains on its own; a drain in progress is joined).
        hub.outbox.drain().catch(onError);
        await Promise.race([subscription.next(RECHECK_MS), stopped]);
      }
    } finally {
      subscription.close();
    }
  })();
  const pushing = (async () => {
    const push = new PushOutbox(hub, onError);
    const subscription = await hub.notifier.subscribe([CHANGED]);
    try {
      while (!signal.aborted) {
        // Not awaited either: a push service that is slow to answer delays only the next notifications.
        push.drain().catch(onError);
        await Promise.race([subscription.next(RECHECK_MS), stopped]);
      }
    } finally {
      subscription.close();
    }
  })();
  const supervising = superviseTeam(hub, hub.root, { signal, onError });
  return {
    async stop() {
      stopping.abort();
      await Promise.allSettled([sweeping, following, pushing, supervising]);
    },
  };
}
