import { realpathSync } from "node:fs";
import { type Clock, systemClock } from "../clock.js";
import type { BatonConfig } from "../domain/config.js";
import { isBatonError } from "../errors.js";
import { HookOutbox } from "../hooks/hook-outbox.js";
import type { Notifier } from "../notify/notifier.js";
import { withAfterCommit } from "../store/operations.js";
import type { Store } from "../store/port.js";
import { readConfig } from "../workspace/config-file.js";
import { findTree, hubRootOf, type Tree, tryTree } from "../workspace/find-root.js";
import { hubNotSetUp, openStore, type StoreMode } from "../workspace/store-url.js";
import { Workspace } from "./workspace.js";

export interface HubOptions {
  /**
   * What follows a commit: `await` runs the outbox (hooks) before the call
   * returns (a CLI command, whose process may exit next); `background` starts
   * it and returns (a server answering others); `none` leaves it to whoever
   * runs the store (a client of the hub server, which runs its own).
   */
  afterCommit?: "await" | "background" | "none";
}

export interface OpenHubOptions extends HubOptions {
  /** Where to look for the repository; default: the process's working directory. */
  cwd?: string;
  /** Store URL (`sqlite:PATH` or a path); default: `.baton/baton.db` at the repository's main root. */
  store?: string;
  clock?: Clock;
  /** `server`: open the store as the hub server does (store-url.ts); default: as a client. */
  storeMode?: StoreMode;
}

/** Where the acting identity came from, for `baton whoami` and for warnings. */
export type IdentitySource = "option" | "environment" | "worktree";

/** What one session (`hub.as`) sees beside its identity. */
export interface SessionOptions {
  /** Where relative paths start; default: the hub root. */
  cwd?: string;
  /** The worktree the session works in; default: none (paths are the hub root's). */
  tree?: Tree;
  dryRun?: boolean;
  identitySource?: IdentitySource;
  /** Ends the session's waits early (an HTTP client that went away): they return as if timed out. */
  signal?: AbortSignal;
}

/**
 * One repository's state, opened once: the store (and its notifier) and the
 * config. It owns them and closes them. Identities are sessions made from it
 * (`hub.as(name)`), so one process (the hub server) serves many agents over
 * one store, where each CLI command opens a hub for its one caller.
 */
export class Hub implements AsyncDisposable {
  /** The store as sessions use it: each write followed by the after-commit work (the outbox). */
  readonly store: Store;
  readonly outbox: HookOutbox;

  constructor(
    /** The hub root: the repository's main checkout, where `.baton/` lives (a real path). */
    readonly root: string,
    readonly config: BatonConfig,
    store: Store,
    readonly clock: Clock,
    /** The tree the hub was opened from, and that directory; a session defaults to neither. */
    readonly tree?: Tree,
    readonly cwd: string = root,
    options: HubOptions = {},
  ) {
    // Where a hook added to the config starts: the log as this process found it, before its own writes.
    const hooked = config.hooks.some((hook) => !hook.gate);
    const start = hooked ? lastEvent(store) : Promise.resolve(0);
    start.catch(() => undefined); // a failed read fails the first drain, which awaits it
    this.outbox = new HookOutbox(store, config.hooks, root, () => start);
    const afterCommit = options.afterCommit ?? "await";
    this.store =
      this.outbox.empty || afterCommit === "none"
        ? store
        : withAfterCommit(
            store,
            afterCommit === "await"
              ? () => this.outbox.drain()
              : async () => {
                  void this.outbox.drain();
                },
          );
  }

  get notifier(): Notifier {
    return this.store.notifier;
  }

  /** The services as `identity` sees them (undefined: nobody named; a change then asks who acts). */
  as(identity: string | undefined, options: SessionOptions = {}): Workspace {
    return new Workspace(this, identity, options);
  }

  private closing: Promise<void> | undefined;

  close(): Promise<void> {
    this.closing ??= this.store.close();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

export async function openHub(options: OpenHubOptions = {}): Promise<Hub> {
  const cwd = realpathSync(options.cwd ?? process.cwd());
  const clock = options.clock ?? systemClock;
  // An explicit store may live outside any repository; then paths are relative to cwd.
  const tree = options.store ? tryTree(cwd) : findTree(cwd);
  const root = tree ? hubRootOf(tree) : cwd;
  const config = readConfig(root);
  const store = await openHubStore(options.store, root, cwd, clock, tree, options.storeMode);
  // Through a hub server, the server runs what follows its commits; a client runs none of it.
  const afterCommit = options.afterCommit ?? (store.backend === "hub" ? "none" : "await");
  return new Hub(root, config, store, clock, tree, cwd, { afterCommit });
}

async function lastEvent(store: Store): Promise<number> {
  return (await store.listEvents({ limit: 1 }))[0]?.seq ?? 0;
}

/** The store; in a linked worktree, a hub that is not set up is explained as the main checkout's. */
async function openHubStore(
  url: string | undefined,
  root: string,
  cwd: string,
  clock: Clock,
  tree: Tree | undefined,
  mode: StoreMode | undefined,
): Promise<Store> {
  try {
    return await openStore(url, root, cwd, clock, mode);
  } catch (error) {
    if (!isBatonError(error) || error.code !== "not_initialised" || !tree || tree.root === root) throw error;
    throw hubNotSetUp(root, true);
  }
}
