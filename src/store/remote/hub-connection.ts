import { connect, type Socket } from "node:net";
import { BatonError, type ErrorShape } from "../../errors.js";
import { LineReader } from "../../mcp/line-reader.js";
import type { WakeLatch } from "../../notify/notifier.js";
import { FrameWriter } from "./frame-writer.js";
import type { HubHello } from "./protocol.js";

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Told when the connection breaks with this request unanswered: what error to reject with. */
  lost: () => BatonError;
}

/** Answers from the hub can be large (a long event list); only a runaway line is refused. */
const MAX_REPLY_BYTES = 512 * 1024 * 1024;

/**
 * One connection to a hub: requests pipelined (many in flight, answered by id
 * in any order), wake-up pushes handed to `onWake`. When the connection breaks,
 * every unanswered request is rejected with the error its `lost` gives, and
 * `onClose` is called once.
 */
export class HubConnection {
  private readonly pending = new Map<number, Pending>();
  private readonly writer: FrameWriter;
  private nextId = 1;
  private closed = false;
  /** The latches of this connection's subscriptions, by the id of the request that made each. */
  private readonly latches = new Map<number, WakeLatch>();
  onClose: () => void = () => {};

  /** What the hub said about itself; set by `open` before the connection is handed out. */
  hello!: HubHello;

  private constructor(private readonly socket: Socket) {
    this.writer = new FrameWriter(socket);
  }

  /** Connects and says hello; rejects when no hub answers within `timeoutMs`. */
  static async open(path: string, timeoutMs: number): Promise<HubConnection> {
    const socket = connect(path);
    socket.setNoDelay?.(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error("the hub did not answer"));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      });
    });
    const connection = new HubConnection(socket);
    connection.listen();
    // A process that accepts but never answers (a hub stopped with SIGSTOP) is no hub to use.
    const timer = setTimeout(() => connection.destroy(), timeoutMs);
    try {
      const noHello = () => new BatonError("connection_lost", "the hub closed the connection", "");
      connection.hello = (await connection.request({ hello: true }, noHello)) as HubHello;
    } finally {
      clearTimeout(timer);
    }
    return connection;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends one request (`id` is added) and resolves with its result, or rejects with its error rebuilt. */
  request(frame: Record<string, unknown>, lost: () => BatonError): Promise<unknown> {
    if (this.closed) return Promise.reject(lost());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, lost });
      this.writer.send({ id, ...frame });
    });
  }

  /**
   * Subscribes on the hub, waking `latch` at each push; resolves with what
   * unsubscribes. The latch is registered before the request leaves: a push
   * may overtake the answer.
   */
  async subscribe(topics: readonly string[], latch: WakeLatch, lost: () => BatonError): Promise<() => void> {
    const id = this.nextId; // the id `request` gives the subscribe below
    this.latches.set(id, latch);
    try {
      await this.request({ subscribe: topics }, lost);
    } catch (error) {
      this.latches.delete(id);
      throw error;
    }
    return () => {
      if (this.latches.delete(id) && !this.closed) this.writer.send({ id: this.nextId++, unsubscribe: id });
    };
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Ends the connection politely: the hub sees the end once what was written has been read. */
  end(): void {
    this.writer.flush();
    this.socket.end();
  }

  private listen(): void {
    const reader = new LineReader(MAX_REPLY_BYTES);
    this.socket.on("data", (chunk: Buffer) => {
      for (const event of reader.push(chunk)) {
        if (event.kind === "line") this.receive(event.bytes);
        else this.socket.destroy();
      }
    });
    this.socket.on("error", () => this.socket.destroy());
    this.socket.once("close", () => this.lose());
  }

  private receive(line: Buffer): void {
    let reply: { id?: number | null; result?: unknown; error?: ErrorShape; wake?: number };
    try {
      reply = JSON.parse(line.toString("utf8"));
    } catch {
      this.socket.destroy(); // not a hub speaking: treated as a lost connection
      return;
    }
    if (typeof reply.wake === "number") {
      this.latches.get(reply.wake)?.wake();
      return;
    }
    const pending = typeof reply.id === "number" ? this.pending.get(reply.id) : undefined;
    if (!pending) {
      // An error without an id is the hub refusing the connection itself (a frame too large): said by the close.
      return;
    }
    this.pending.delete(reply.id!);
    if (reply.error) pending.reject(BatonError.fromJSON(reply.error));
    else pending.resolve(reply.result);
  }

  private lose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(pending.lost());
    this.pending.clear();
    this.latches.clear();
    this.onClose();
  }
}
