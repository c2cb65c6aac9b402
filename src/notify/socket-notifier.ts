import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { listenOnSocket } from "../util/listen-socket.js";
import { removeIfPresent } from "../util/processes.js";
import { type Notifier, type Subscription, WakeLatch } from "./notifier.js";

/**
 * Wake-ups after commit between processes that open one SQLite file, over
 * Unix sockets (the direct mode; inside the hub server see local-notifier.ts). A waiter listens on one socket per
 * topic it waits on (`inbox:alice`, `#backend`, `question:7`), named
 * `<topic-hash>.<pid>.<n>.sock` in a per-store folder; whoever commits a change
 * to a topic connects to that topic's sockets. Measured on this machine: a notify
 * sent after commit wakes a waiter in ~0.3 ms, where a watch on the WAL file
 * fires before the commit is visible and misses ~1% of commits.
 *
 * A waiter subscribes before it first looks at the store, so a commit either
 * happened before that look (and is seen) or pokes it. Pokes can still be lost
 * (a full socket backlog, a killed process between commit and poke), so waiters
 * also re-check on a slow timer: a lost poke delays, never loses.
 */

/** The socket folder for one store. Short on purpose: a Unix socket path must fit in 107 bytes. */
export function wakeDirFor(storeLocation: string): string {
  const uid = process.getuid?.() ?? 0;
  const hash = createHash("sha256").update(storeLocation).digest("hex").slice(0, 12);
  return join(tmpdir(), `baton-${uid}-${hash}`);
}

function topicKey(topic: string): string {
  return createHash("sha256").update(topic).digest("hex").slice(0, 12);
}

let socketCounter = 0;

/**
 * How long after a folder's last change its listing is trusted while the
 * folder's mtime stays the same. The kernel stamps mtime from a coarse clock
 * (one tick: 1-10 ms), so a socket made just after a listing can leave the
 * mtime unchanged; a listing read well after the mtime cannot have missed one.
 */
const SETTLED_MS = 50;

export interface NotifyOptions {
  /** Leave out the sockets this notifier's own subscriptions listen on: their waiters were woken already (the hub). */
  othersOnly?: boolean;
}

export class SocketNotifier implements Notifier {
  /** The folder's names, kept while its mtime says nothing was added or removed since. */
  private listing: { names: string[]; mtimeMs: number; readAt: number } | undefined;
  /** The socket names this notifier's subscriptions listen on. */
  private readonly own = new Set<string>();

  constructor(readonly dir: string) {}

  async notify(topics: readonly string[], options: NotifyOptions = {}): Promise<void> {
    if (topics.length === 0) return;
    const entries = this.names();
    if (entries.length === 0) return;
    const keys = new Set(topics.map(topicKey));
    const targets = entries.filter(
      (name) => keys.has(name.slice(0, name.indexOf("."))) && !(options.othersOnly && this.own.has(name)),
    );
    await Promise.all(targets.map((name) => poke(join(this.dir, name))));
  }

  /**
   * The socket names in the folder. A commit asks on every write, and a hub
   * many times per millisecond: one stat instead of a listing (open, read,
   * close) while the folder has not changed.
   */
  private names(): string[] {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.dir).mtimeMs;
    } catch {
      return []; // nobody has ever waited here
    }
    const known = this.listing;
    if (known && known.mtimeMs === mtimeMs && known.readAt - mtimeMs > SETTLED_MS) return known.names;
    const readAt = Date.now();
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    this.listing = { names, mtimeMs, readAt };
    return names;
  }

  async subscribe(topics: readonly string[], latch = new WakeLatch()): Promise<Subscription> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const servers: { server: Server; path: string }[] = [];
    for (const topic of new Set(topics)) {
      const name = `${topicKey(topic)}.${process.pid}.${socketCounter++}.sock`;
      const path = join(this.dir, name);
      const server = createServer((socket) => {
        socket.destroy();
        latch.wake();
      });
      await listenOnSocket(server, path);
      servers.push({ server, path });
      this.own.add(name);
    }
    return {
      next: (timeoutMs) => latch.next(timeoutMs),
      close: () => {
        for (const { server, path } of servers) {
          this.own.delete(basename(path));
          removeIfPresent(path);
          server.close();
        }
      },
    };
  }

  async close(): Promise<void> {
    // Nothing of its own runs between calls: each subscription closes its sockets.
  }
}

function poke(path: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.once("connect", done);
    socket.once("error", (error: NodeJS.ErrnoException) => {
      // Nobody listens: the waiter died without cleaning up. Remove its socket file.
      if (error.code === "ECONNREFUSED") {
        removeIfPresent(path);
      }
      done();
    });
    socket.setTimeout(500, done);
  });
}
