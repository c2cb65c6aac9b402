/**
 * The notifier port: wake-ups after commit. A backend supplies its own
 * (Store.notifier): Unix sockets between the processes that open one SQLite
 * file, in-process calls inside the hub server, pub/sub for a networked
 * backend. Waiters subscribe before they first look at the store, so a commit
 * either happened before that look (and is seen) or wakes them after.
 *
 * A wake-up is a hint, never the data: a waiter re-reads the store when woken,
 * and also on a slow timer (services/wait.ts), so a lost wake-up delays and
 * never loses.
 */
export interface Notifier {
  /** Wakes every waiter on these topics. Never throws: a failed wake-up only delays a waiter until its re-check. */
  notify(topics: readonly string[]): Promise<void>;
  /**
   * Listens on `topics`. A caller may pass the latch to wake (one latch shared by
   * several notifiers, or one that pushes a frame when woken: the hub server);
   * by default each subscription has its own.
   */
  subscribe(topics: readonly string[], latch?: WakeLatch): Promise<Subscription>;
  /** Stops what the notifier itself runs (listeners, connections). */
  close(): Promise<void>;
}

export interface Subscription {
  /** Resolves true when woken (or woken since the last call), false after `timeoutMs`. */
  next(timeoutMs: number): Promise<boolean>;
  /** Stops listening. Returns at once. */
  close(): void;
}

/**
 * Woken by every commit, whatever it changed: how a long-running process (the
 * hub server, a live view) follows changes made by other processes without
 * polling. It says only that something changed; the event log says what.
 */
export const CHANGED = "changed";

/**
 * The wake-up half of a subscription, shared by the notifiers: remembers a
 * wake-up that came before `next` was called, so none is lost between two
 * looks at the store.
 */
export class WakeLatch {
  private woken = false;
  private wakeUp: (() => void) | undefined;

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  next(timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      if (this.woken) {
        this.woken = false;
        resolve(true);
        return;
      }
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve(false);
      }, timeoutMs);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve(true);
      };
    });
  }
}
