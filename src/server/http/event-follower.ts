import type { BatonEvent } from "../../domain/types.js";
import { CHANGED, type Subscription } from "../../notify/notifier.js";
import { RECHECK_MS } from "../../services/wait.js";
import type { Store } from "../../store/port.js";

/** Events read per step when following the log. */
const FOLLOW_PAGE = 500;

/** Something that takes each new event batch, oldest first. */
export interface EventSink {
  deliver(events: readonly BatonEvent[]): void;
}

/**
 * Follows the event log for every live stream of a server at once: one
 * subscription to CHANGED (woken by every commit, from this process or any
 * other that writes the store: a CLI, `baton mcp`) and one read of the log per
 * wake-up, fanned out to the streams. With a thousand clients, a commit costs
 * one read, not a thousand. Runs while a stream is attached; re-reads on a
 * slow timer too, so a lost wake-up delays an event and never loses it.
 */
export class EventFollower {
  private readonly sinks = new Set<EventSink>();
  private head = 0;
  private started: Promise<void> | undefined;
  private closed = false;
  private stop: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly recheckMs = RECHECK_MS,
  ) {}

  /**
   * Attaches a sink; resolves once the follower is running, with the sequence
   * number it has read up to. Every later event reaches the sink; what came
   * before, the sink reads from the log itself (a resumed stream).
   */
  async attach(sink: EventSink): Promise<number> {
    this.sinks.add(sink);
    this.started ??= this.start();
    await this.started;
    return this.head;
  }

  detach(sink: EventSink): void {
    this.sinks.delete(sink);
  }

  get attached(): number {
    return this.sinks.size;
  }

  private async start(): Promise<void> {
    // Subscribed before the head is read: a commit after that read wakes the loop.
    const subscription = await this.store.notifier.subscribe([CHANGED]);
    const [latest] = await this.store.listEvents({ limit: 1 });
    this.head = latest?.seq ?? 0;
    void this.follow(subscription);
  }

  private async follow(subscription: Subscription): Promise<void> {
    const stopped = new Promise<boolean>((resolve) => {
      this.stop = () => resolve(false);
    });
    while (!this.closed && this.sinks.size > 0) {
      await Promise.race([subscription.next(this.recheckMs), stopped]);
      if (this.closed) break;
      // In pages, so a burst of commits is never read (or held) at once.
      for (let more = true; more && !this.closed; ) {
        let events: BatonEvent[];
        try {
          events = await this.store.listEvents({ afterSeq: this.head, limit: FOLLOW_PAGE, oldest: true });
        } catch {
          // A busy or closing store: read again from the same head on the next wake-up or re-check.
          break;
        }
        more = events.length === FOLLOW_PAGE;
        if (events.length === 0) break;
        this.head = events[events.length - 1]!.seq;
        for (const sink of [...this.sinks]) sink.deliver(events);
      }
    }
    subscription.close();
    // Nobody attached: the next stream starts a new loop, from the log's head then.
    this.started = undefined;
  }

  close(): void {
    this.closed = true;
    this.stop?.();
  }
}
