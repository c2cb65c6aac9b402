import { chmodSync, mkdirSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { dirname } from "node:path";
import { BatonError, toBatonError } from "../../errors.js";
import { LineReader } from "../../mcp/line-reader.js";
import type { Store } from "../../store/port.js";
import { FrameWriter } from "../../store/remote/frame-writer.js";
import { ownedByMe } from "../../store/remote/private-folder.js";
import { type HubHello, MAX_REQUEST_BYTES } from "../../store/remote/protocol.js";
import { listenOnSocket } from "../../util/listen-socket.js";
import { removeIfPresent } from "../../util/processes.js";
import { handleFrame } from "./request-handler.js";

export interface StoreSocketServer {
  readonly path: string;
  /** Stops listening, drops every connection and removes the socket file. */
  close(): Promise<void>;
}

export interface StoreSocketOptions {
  store: Store;
  /** The socket file; its folder is made private to this user. */
  path: string;
  hello: HubHello;
  maxRequestBytes?: number;
}

/**
 * Serves a Store over a Unix socket (the hub's local protocol, see
 * store/remote/protocol.ts). Each connection is read line by line; a line
 * longer than the limit is answered with `too_large` and the connection
 * dropped (whatever follows it cannot be trusted to be framed); a malformed
 * line is answered with an error and the connection kept.
 */
export async function serveStoreSocket(options: StoreSocketOptions): Promise<StoreSocketServer> {
  const sockets = new Set<Socket>();
  const counters = { requests: 0 };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    serveConnection(socket, options, counters);
  });
  const folder = dirname(options.path);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (!ownedByMe(folder, "folder"))
    throw new BatonError(
      "forbidden",
      `the hub's socket folder ${folder} belongs to another user or others may write it`,
      `remove it (rm -r ${folder}) or make it yours and private (chmod 700 ${folder}), then start the hub again`,
    );
  await listenOnSocket(server, options.path);
  // Only this user may connect: the socket carries every operation, decisions included.
  chmodSync(options.path, 0o600);
  return {
    path: options.path,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      removeIfPresent(options.path);
    },
  };
}

function serveConnection(socket: Socket, options: StoreSocketOptions, counters: { requests: number }): void {
  const writer = new FrameWriter(socket);
  const reader = new LineReader(options.maxRequestBytes ?? MAX_REQUEST_BYTES);
  const subscriptions = new Map<number, () => void>();
  const isOpen = () => !socket.destroyed;
  const context = { store: options.store, hello: options.hello, counters, writer, subscriptions, isOpen };
  socket.on("data", (chunk: Buffer) => {
    for (const event of reader.push(chunk)) {
      if (event.kind === "too_long") {
        writer.send({
          id: null,
          error: new BatonError(
            "too_large",
            `a request to the hub was longer than ${event.limit} bytes; the connection is closed`,
            "send smaller requests: no operation of the store needs that much",
          ).toJSON(),
        });
        // What follows cannot be trusted to be framed: answer, then hang up and read no more.
        writer.flush();
        socket.end();
        socket.removeAllListeners("data");
        setTimeout(() => socket.destroy(), 1_000).unref(); // a client that never closes its side
        return;
      }
      handleFrame(event.bytes, context).catch((error) =>
        writer.send({ id: null, error: toBatonError(error).toJSON() }),
      );
    }
  });
  socket.on("error", () => socket.destroy());
  socket.once("close", () => {
    for (const close of subscriptions.values()) close();
    subscriptions.clear();
  });
}
