import { BatonError } from "../../errors.js";
import type { WakeLatch } from "../../notify/notifier.js";
import { STORE_OPERATIONS, type StoreOperation } from "../operations.js";
import type { Store } from "../port.js";
import { HubConnection } from "./hub-connection.js";
import { RemoteNotifier } from "./remote-notifier.js";

export interface RemoteStoreOptions {
  /** The hub's socket (hubSocketPath of the store's location). */
  socketPath: string;
  /** Opens the store directly: used once the hub is gone and no hub answers any more. */
  fallback: () => Store;
  /** How long a hub may take to accept and say hello before it counts as absent. */
  connectTimeoutMs?: number;
}

const CONNECT_TIMEOUT_MS = 1_000;

/** What a request in flight rejects with when the hub goes away before answering. */
function connectionLost(op: StoreOperation): BatonError {
  const writes = STORE_OPERATIONS[op] !== "read";
  return new BatonError(
    "connection_lost",
    writes
      ? `the hub stopped while ${op} was in flight: the change may or may not have been applied`
      : `the hub stopped while ${op} was in flight; nothing was changed`,
    writes
      ? {
          cli: "look before you retry: `baton log` (or `baton task show ID`) shows whether it happened; the next command works without the hub",
          tool: "look before you retry: list_tasks (or get_project_info) shows whether it happened; the next call works without the hub",
        }
      : "run it again: the next command works without the hub (or with a restarted one)",
    { op },
  );
}

// The operations are made in the constructor, from STORE_OPERATIONS (which lists every one of the port).
export interface RemoteStore extends Pick<Store, StoreOperation> {}

/**
 * The store as served by a hub (`baton serve`) over its Unix socket: every
 * operation a request on one connection, many in flight at once. Errors come
 * back as the BatonError the hub's store raised (same code, message, hint and
 * details), so a command gives the same answer and exit code either way.
 *
 * When the hub goes away, requests in flight reject with `connection_lost`
 * (a write may or may not have been applied: the hub's answer was lost, not
 * necessarily its commit). Later requests connect again, and when no hub
 * answers, open the file directly (`fallback`) and keep using it.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see above
export class RemoteStore implements Store {
  readonly backend = "hub";
  /** The served store's location, so wake-up folders and messages match a direct opening. */
  readonly location: string;
  readonly notifier: RemoteNotifier;
  private conn: HubConnection | undefined;
  private direct: Store | undefined;
  private switching: Promise<void> | undefined;
  private closed = false;

  /** Connects to the hub on `socketPath`; undefined when none answers there. */
  static async connect(options: RemoteStoreOptions): Promise<RemoteStore | undefined> {
    try {
      return new RemoteStore(options, await HubConnection.open(options.socketPath, timeoutOf(options)));
    } catch {
      return undefined;
    }
  }

  private constructor(
    private readonly options: RemoteStoreOptions,
    conn: HubConnection,
  ) {
    this.location = conn.hello.location;
    this.notifier = new RemoteNotifier({
      attach: (topics, latch) => this.attach(topics, latch),
      notify: (topics) => this.notify(topics),
    });
    this.adopt(conn);
    for (const op of Object.keys(STORE_OPERATIONS) as StoreOperation[]) {
      (this as unknown as Record<string, (input: unknown) => Promise<unknown>>)[op] = (input) =>
        this.call(op, input);
    }
  }

  /** Whether requests now go to the file directly (the hub went away and none answered since). */
  get isDirect(): boolean {
    return this.direct !== undefined;
  }

  private adopt(conn: HubConnection): void {
    this.conn = conn;
    conn.onClose = () => {
      if (this.conn !== conn) return;
      this.conn = undefined;
      if (this.closed) return;
      // Waiters must hear of later changes: find what backs the store now and listen there.
      this.backing().then(
        () => this.notifier.reattach(),
        () => {},
      );
    };
  }

  /** A live connection to a hub, or else the file opened directly. */
  private async backing(): Promise<void> {
    if (this.direct || this.conn?.isOpen) return;
    this.switching ??= (async () => {
      try {
        this.adopt(await HubConnection.open(this.options.socketPath, timeoutOf(this.options)));
      } catch {
        this.direct = this.options.fallback();
      }
    })().finally(() => {
      this.switching = undefined;
    });
    await this.switching;
  }

  private async call(op: StoreOperation, input: unknown): Promise<unknown> {
    if (!this.direct && !this.conn?.isOpen) await this.backing();
    if (this.direct)
      return (this.direct[op] as (input: unknown) => Promise<unknown>).call(this.direct, input);
    return this.conn!.request({ op, input }, () => connectionLost(op));
  }

  private async attach(topics: readonly string[], latch: WakeLatch): Promise<() => void> {
    if (!this.direct && !this.conn?.isOpen) await this.backing();
    if (this.direct) {
      const subscription = await this.direct.notifier.subscribe(topics, latch);
      return () => subscription.close();
    }
    const lost = () =>
      new BatonError("connection_lost", "the hub stopped while a wait was being set up", "run it again");
    return this.conn!.subscribe(topics, latch, lost);
  }

  private async notify(topics: readonly string[]): Promise<void> {
    if (this.direct) return this.direct.notifier.notify(topics);
    const lost = () => new BatonError("connection_lost", "the hub stopped", "");
    await this.conn?.request({ notify: topics }, lost);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.switching?.catch(() => {});
    await this.notifier.close();
    this.conn?.end();
    await this.direct?.close();
  }
}

function timeoutOf(options: RemoteStoreOptions): number {
  return options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
}
