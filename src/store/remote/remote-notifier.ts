import { type Notifier, type Subscription, WakeLatch } from "../../notify/notifier.js";

/** What a RemoteNotifier listens through: the hub's socket, or the store opened directly once no hub answers. */
export interface NotifierLink {
  /** Subscribes on whatever backs the store now; resolves with what stops it. */
  attach(topics: readonly string[], latch: WakeLatch): Promise<() => void>;
  notify(topics: readonly string[]): Promise<void>;
}

interface Listening {
  topics: readonly string[];
  latch: WakeLatch;
  detach: () => void;
}

/**
 * Wake-ups through the hub: a subscription is a `subscribe` request on the
 * RemoteStore's connection, and the hub pushes `{wake}` when a topic is
 * notified, by its own commits or (it follows them) by processes writing the
 * file directly. When the connection breaks, every waiter is woken (it may
 * have missed a wake-up, so it looks again) and its subscription made again on
 * what backs the store now: a restarted hub, or the file opened directly.
 */
export class RemoteNotifier implements Notifier {
  private readonly live = new Set<Listening>();

  constructor(private readonly link: NotifierLink) {}

  async notify(topics: readonly string[]): Promise<void> {
    try {
      await this.link.notify(topics);
    } catch {
      // A lost wake-up only delays a waiter until its re-check (the port's promise).
    }
  }

  async subscribe(topics: readonly string[], latch = new WakeLatch()): Promise<Subscription> {
    const entry: Listening = { topics: [...topics], latch, detach: () => {} };
    entry.detach = await this.link.attach(entry.topics, latch);
    this.live.add(entry);
    return {
      next: (timeoutMs) => latch.next(timeoutMs),
      close: () => {
        this.live.delete(entry);
        entry.detach();
      },
    };
  }

  /** The store's backing changed: wake every waiter and listen again on the new one. */
  async reattach(): Promise<void> {
    for (const entry of this.live) {
      entry.latch.wake();
      try {
        const detach = await this.link.attach(entry.topics, entry.latch);
        if (this.live.has(entry)) entry.detach = detach;
        else detach(); // closed meanwhile
      } catch {
        // Nothing answers: the waiter's slow re-check still runs.
      }
    }
  }

  async close(): Promise<void> {
    for (const entry of this.live) entry.detach();
    this.live.clear();
  }
}
