import { checkDuration } from "../domain/limits.js";
import type { ServiceContext } from "./service-context.js";

/**
 * How often a waiter looks at the store even without a wake-up: the safety net
 * under the notifications. BATON_RECHECK_MS changes it, for the test that
 * proves waiters are woken by the commit itself (with a re-check every hour, a
 * missing wake-up shows as a wait that never ends, not as a second's delay).
 */
export const RECHECK_MS =
  Number(process.env.BATON_RECHECK_MS) > 0 ? Number(process.env.BATON_RECHECK_MS) : 1000;

/**
 * Calls `check` until it returns something or `waitMs` runs out. Subscribing to
 * the topics before the first check is what makes a commit impossible to miss:
 * it either happened before the check (and is seen) or wakes us after.
 * Returns undefined on timeout. A wait of 0 (or less) checks once; a longer
 * one must be within its range (up to a day). `onWaiting` runs once, when the
 * first check found nothing and the wait begins (a terminal says "waiting…").
 */
export async function waitFor<T>(
  ctx: Pick<ServiceContext, "store" | "signal">,
  topics: string[],
  waitMs: number,
  check: () => Promise<T | undefined>,
  onWaiting?: () => void,
): Promise<T | undefined> {
  const ms = waitMs <= 0 ? 0 : checkDuration("wait", waitMs);
  const { signal } = ctx;
  const subscription = await ctx.store.notifier.subscribe(topics);
  // A caller that went away (an HTTP client disconnected) stops the wait: nobody would read its answer.
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  signal?.addEventListener("abort", stop, { once: true });
  try {
    const deadline = performance.now() + ms;
    for (let first = true; ; first = false) {
      const found = await check();
      if (found !== undefined) return found;
      const remaining = deadline - performance.now();
      if (remaining <= 0 || signal?.aborted) return undefined;
      if (first) onWaiting?.();
      await Promise.race([subscription.next(Math.min(remaining, RECHECK_MS)), stopped]);
    }
  } finally {
    signal?.removeEventListener("abort", stop);
    subscription.close();
  }
}
