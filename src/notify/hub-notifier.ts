import { LocalNotifier } from "./local-notifier.js";
import { type Notifier, type Subscription, WakeLatch } from "./notifier.js";
import type { SocketNotifier } from "./socket-notifier.js";

/**
 * The hub server's notifier. Its clients wait in its own process (pushed over
 * its socket), and processes that open the SQLite file directly (a CLI command
 * with BATON_HUB=off, one started before the hub) wait on Unix-socket wake-ups
 * in the store's folder. So a commit of the hub wakes both, and a subscription
 * listens on both: a commit made directly on the file by another process pokes
 * the folder, and the hub's waiters hear it too.
 */
export class HubNotifier implements Notifier {
  readonly local = new LocalNotifier();
  /** Pokes to the folder still connecting (close waits for them). */
  private readonly poking = new Set<Promise<void>>();

  constructor(private readonly folder: SocketNotifier) {}

  /**
   * Wakes the hub's own waiters at once, and pokes the folder's (other
   * processes') without waiting for their sockets to connect: a batch's
   * answers wait on this, and the hub outlives the pokes it starts, where a
   * CLI process must wait for its own before it exits. Its own folder sockets
   * are left out: the in-process wake-up reached them already.
   */
  async notify(topics: readonly string[]): Promise<void> {
    this.local.wakeNow(topics);
    const poke = this.folder.notify(topics, { othersOnly: true }).finally(() => this.poking.delete(poke));
    this.poking.add(poke);
  }

  async subscribe(topics: readonly string[], latch = new WakeLatch()): Promise<Subscription> {
    const here = await this.local.subscribe(topics, latch);
    let there: Subscription;
    try {
      there = await this.folder.subscribe(topics, latch);
    } catch (error) {
      here.close();
      throw error;
    }
    return {
      next: (timeoutMs) => latch.next(timeoutMs),
      close: () => {
        here.close();
        there.close();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.poking);
    await this.local.close();
    await this.folder.close();
  }
}
