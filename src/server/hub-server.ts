import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { BatonError } from "../errors.js";
import { type Hub, openHub } from "../services/hub.js";
import { HubConnection } from "../store/remote/hub-connection.js";
import { type HubHello, hubSocketPath } from "../store/remote/protocol.js";
import { removeIfPresent } from "../util/processes.js";
import { writeTextAtomic } from "../util/write-atomic.js";
import { StoreAuthenticator } from "./auth/authenticator.js";
import { servedNames } from "./auth/origin-check.js";
import { RateLimiter } from "./auth/rate-limit.js";
import { runBackground } from "./background.js";
import { createHttpHandler } from "./http/handler.js";
import { acquireHubLock } from "./hub-lock.js";
import { type StoreSocketServer, serveStoreSocket } from "./socket/store-socket-server.js";

/** What `.baton/hub.json` says about the running hub, for `baton serve --stop` and for people. */
export interface HubRecord {
  pid: number;
  socket: string;
  startedAt: number;
  version: string;
  /** Where the HTTP API listens (when it does). */
  host: string;
  port: number;
}

export interface HubServerOptions {
  cwd?: string;
  store?: string;
  version: string;
  host: string;
  /** 0: any free port (the record says which). */
  port: number;
  /** Reports what goes wrong in the background (the guardian, hooks) without stopping the hub. */
  onError?: (error: unknown) => void;
}

export interface RunningHub {
  readonly hub: Hub;
  readonly record: HubRecord;
  readonly recordPath: string;
  close(): Promise<void>;
}

/** The hub's record sits beside the database: `.baton/hub.json` for the workspace's own store. */
export function hubRecordPath(storeLocation: string): string {
  return join(dirname(storeLocation.replace(/^sqlite:/, "")), "hub.json");
}

export function readHubRecord(path: string): HubRecord | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as HubRecord;
  } catch {
    return undefined;
  }
}

/** What the hub answering on `socketPath` says of itself, or undefined when none answers. */
export async function answeringHub(socketPath: string): Promise<HubHello | undefined> {
  try {
    const conn = await HubConnection.open(socketPath, 1_000);
    conn.end();
    return conn.hello;
  } catch {
    return undefined;
  }
}

/**
 * Starts the hub for a workspace's store: the store opened as the one writer
 * (group commit; wake-ups for its clients and for processes using the file
 * directly, see store-url.ts), served on its Unix socket, and recorded in
 * hub.json. Refuses to start beside a hub that already answers for the store.
 */
export async function startHubServer(options: HubServerOptions): Promise<RunningHub> {
  // The hub answers first and runs hooks after: a slow hook never holds a client's reply.
  const hub = await openHub({
    cwd: options.cwd,
    store: options.store,
    storeMode: "server",
    afterCommit: "background",
  });
  let server: StoreSocketServer | undefined;
  let http: HttpFace | undefined;
  let lock: { release(): void } | undefined;
  try {
    lock = acquireHubLock(join(dirname(hubRecordPath(hub.store.location)), "hub.lock"));
    const socket = hubSocketPath(hub.store.location);
    const running = (await answeringHub(socket))?.pid;
    if (running !== undefined) {
      throw new BatonError(
        "conflict",
        `a hub already runs for this store (pid ${running})`,
        `use it as it is (every baton command finds it), or stop it first: baton serve --stop (or kill ${running})`,
        { pid: running, socket },
      );
    }
    http = await serveHttp(hub, options);
    const record: HubRecord = {
      pid: process.pid,
      socket,
      startedAt: Date.now(),
      version: options.version,
      host: options.host,
      port: http.port,
    };
    server = await serveStoreSocket({
      store: hub.store,
      path: socket,
      hello: { location: hub.store.location, pid: process.pid, version: options.version },
    });
    const recordPath = hubRecordPath(hub.store.location);
    writeTextAtomic(recordPath, `${JSON.stringify(record, null, 2)}\n`);
    const listening = server;
    const face = http;
    const held = lock;
    const background = runBackground(hub, options.onError ?? (() => undefined));
    let closing: Promise<void> | undefined;
    return {
      hub,
      record,
      recordPath,
      close: () => {
        closing ??= (async () => {
          await background.stop();
          await face.close();
          await listening.close();
          // Only our own record: a hub started after us (once our socket was gone) wrote its own.
          if (readHubRecord(recordPath)?.pid === process.pid) removeIfPresent(recordPath);
          await hub.close();
          held.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await server?.close();
    await http?.close();
    await hub.close();
    lock?.release();
    throw error;
  }
}

/** Open HTTP connections (streams included) the hub accepts at once. */
const MAX_HTTP_CONNECTIONS = 1000;

interface HttpFace {
  port: number;
  close(): Promise<void>;
}

/** The HTTP API, SSE, MCP over HTTP and pairing, every request authenticated against the store. */
async function serveHttp(hub: Hub, options: HubServerOptions): Promise<HttpFace> {
  const server = createServer();
  // Idle connections cost a file handle each: past this many, new ones are refused, not the hub.
  server.maxConnections = MAX_HTTP_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new BatonError(
              "conflict",
              `port ${options.port} on ${options.host} is in use`,
              "pick another with --port (or --port 0 for any free one)",
            )
          : error,
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const served = servedNames(port);
  const handler = createHttpHandler({
    hub,
    version: options.version,
    authenticator: new StoreAuthenticator({
      store: hub.store,
      config: () => hub.config,
      served,
      limiter: new RateLimiter(),
    }),
    pairing: { served, limiter: new RateLimiter() },
  });
  server.on("request", handler);
  return {
    port,
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
