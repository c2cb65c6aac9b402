import { type Notifier, type Subscription, WakeLatch } from "./notifier.js";

/**
 * Wake-ups inside one process: the hub server, where every writer and waiter
 * shares the event loop. A notify is a loop over the topic's waiters, no I/O.
 */
export class LocalNotifier implements Notifier {
  private readonly waiters = new Map<string, Set<WakeLatch>>();

  async notify(topics: readonly string[]): Promise<void> {
    this.wakeNow(topics);
  }

  /** The synchronous core of notify, for callers that must not yield between commit and wake-up. */
  wakeNow(topics: readonly string[]): void {
    for (const topic of topics) for (const latch of this.waiters.get(topic) ?? []) latch.wake();
  }

  async subscribe(topics: readonly string[], latch = new WakeLatch()): Promise<Subscription> {
    const unique = [...new Set(topics)];
    for (const topic of unique) {
      const set = this.waiters.get(topic) ?? new Set();
      this.waiters.set(topic, set.add(latch));
    }
    return {
      next: (timeoutMs) => latch.next(timeoutMs),
      close: () => {
        for (const topic of unique) {
          const set = this.waiters.get(topic);
          set?.delete(latch);
          if (set?.size === 0) this.waiters.delete(topic);
        }
      },
    };
  }

  /** How many topics have a waiter: lets a test see that subscriptions are cleaned up. */
  get topicCount(): number {
    return this.waiters.size;
  }

  async close(): Promise<void> {
    this.waiters.clear();
  }
}
