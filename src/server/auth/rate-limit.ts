import { type Clock, systemClock } from "../../clock.js";
import { BatonError } from "../../errors.js";

export interface RateLimitOptions {
  /** Tokens added per second: the sustained rate. */
  perSecond: number;
  /** The bucket's size: how many requests may come at once after a quiet spell. */
  burst: number;
  clock?: Clock;
}

/** Defaults: far above what an agent or a person does, low enough that a runaway loop cannot starve the others. */
export const DEFAULT_RATE_LIMIT = { perSecond: 50, burst: 100 } as const;

/** Buckets kept before full ones (idle callers) are dropped: a full bucket is the same as none. */
const MAX_BUCKETS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per caller (a key id or a device id): each request takes one
 * token; tokens come back at `perSecond` up to `burst`. Over the limit, the
 * request is refused with `rate_limited` and how long to wait.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: Clock;

  constructor(private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT) {
    this.clock = options.clock ?? systemClock;
  }

  take(caller: string): void {
    const now = this.clock.now();
    const bucket = this.refilled(caller, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const retryAfterS = Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond));
    throw new BatonError(
      "rate_limited",
      `too many requests from ${caller}: more than ${this.options.perSecond} a second`,
      `wait ${retryAfterS} s (Retry-After) and try again; a loop that polls should wait for events instead`,
      { retryAfterS },
    );
  }

  private refilled(caller: string, now: number): Bucket {
    const { perSecond, burst } = this.options;
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.dropFull(now);
      bucket = { tokens: burst, at: now };
      this.buckets.set(caller, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    return bucket;
  }

  private dropFull(now: number): void {
    const { perSecond, burst } = this.options;
    for (const [caller, bucket] of this.buckets)
      if (bucket.tokens + ((now - bucket.at) / 1000) * perSecond >= burst) this.buckets.delete(caller);
  }
}
