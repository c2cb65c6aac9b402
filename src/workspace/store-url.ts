import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { type Clock, systemClock } from "../clock.js";
import { BatonError, clip } from "../errors.js";
import { HubNotifier } from "../notify/hub-notifier.js";
import { SocketNotifier, wakeDirFor } from "../notify/socket-notifier.js";
import type { Store } from "../store/port.js";
import { connectHub } from "../store/remote/connect-hub.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { BATON_DIR, DB_FILE } from "./config-file.js";

/**
 * Opens the store a URL names: `sqlite:PATH`, `file:PATH` or a bare path (the
 * embedded default), relative paths from `cwd`. Without a URL, the workspace's
 * own `.baton/baton.db`, which `baton init` creates.
 */
/**
 * The hub has no `.baton/`. Seen from a linked worktree, the hub is somewhere
 * else (the main checkout), so the error says where to run init.
 */
export function hubNotSetUp(root: string, fromLinkedWorktree: boolean): BatonError {
  return fromLinkedWorktree
    ? new BatonError(
        "not_initialised",
        `baton is not set up for this repository: its hub lives in the main checkout ${root}, which has no .baton/`,
        `run \`baton init\` in ${root} (every worktree of the repository shares that hub)`,
      )
    : new BatonError(
        "not_initialised",
        `baton is not set up in ${root}`,
        "run `baton init` in the repository (it writes .baton/config.json), or pass --store PATH",
      );
}

/**
 * How a process opens the store: a `client` (every command, `baton mcp`) uses
 * the hub when one runs for this store and opens the file directly when none
 * does; the `server` (`baton serve`) is the hub, the one writer: it opens the
 * file with group commit and wakes both its own clients and direct waiters.
 */
export type StoreMode = "client" | "server";

export async function openStore(
  url: string | undefined,
  root: string,
  cwd: string,
  clock: Clock,
  mode: StoreMode = "client",
): Promise<Store> {
  const path = storeFile(url, root, cwd);
  if (mode === "server") {
    const notifier = new HubNotifier(new SocketNotifier(wakeDirFor(`sqlite:${path}`)));
    return new SqliteStore({ path, clock, notifier, groupCommit: true });
  }
  const direct = () => new SqliteStore({ path, clock });
  // A test's own clock cannot reach a hub, which keeps its own time.
  if (process.env.BATON_HUB === "off" || clock !== systemClock) return direct();
  return (await connectHub(`sqlite:${path}`, direct)) ?? direct();
}

/** The database file a URL names (or the workspace's own), checked. */
export function storeFile(url: string | undefined, root: string, cwd: string): string {
  if (!url) {
    if (!existsSync(join(root, BATON_DIR))) throw hubNotSetUp(root, false);
    return join(root, BATON_DIR, DB_FILE);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "redis" || scheme === "rediss" || scheme === "postgres" || scheme === "postgresql") {
    throw new BatonError(
      "unsupported",
      `the ${scheme} backend is not available in this version`,
      "use the embedded store: omit --store, or pass a file path such as --store .baton/baton.db",
    );
  }
  const path =
    scheme === "sqlite" || scheme === "file" ? url.slice(scheme.length + 1).replace(/^\/\/(?=\/)/, "") : url;
  if (!path)
    throw new BatonError(
      "usage",
      `--store '${url}' names no file`,
      "pass --store sqlite:PATH or a file path",
    );
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  requireFolder(file, url);
  requireRegularOrNew(file, url);
  return file;
}

/**
 * A store named by hand must be in a folder that exists: `--store /typo/x.db`
 * would otherwise create the folders and an empty hub, and the team would work
 * in it unaware. The default store's folder is made by `baton init`.
 */
function requireFolder(file: string, url: string): void {
  const folder = dirname(file);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // missing, or not ours to look at: said below
  }
  if (!isFolder) {
    throw new BatonError(
      "not_found",
      `the store '${clip(url, 200)}' is in ${folder}, which is not a folder that exists`,
      "check the path for a typo; to start a store there, create the folder first (mkdir -p), or run `baton init` in the repository for its default store",
    );
  }
}

/**
 * A store is a database file, or a name for a new one: `--store /dev/null`
 * would have SQLite write its journal beside it, in /dev.
 */
function requireRegularOrNew(file: string, url: string): void {
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(file);
  } catch {
    return; // a new store
  }
  if (!stat.isFile()) {
    throw new BatonError(
      "invalid_input",
      `the store '${clip(url, 200)}' is not a regular file`,
      "pass the path of a baton database file (or of a new one to create)",
    );
  }
}
