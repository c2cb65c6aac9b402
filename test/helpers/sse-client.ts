import { type ClientRequest, type IncomingMessage, request } from "node:http";
import { afterEach } from "vitest";

export interface StreamEvent {
  id: number;
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: the event's JSON
  data: any;
}

const open: EventStreamClient[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

/** A Server-Sent Events client over node:http, parsing frames as they come; closed after the test. */
export class EventStreamClient {
  readonly events: StreamEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  private buffer = "";
  private waiters: (() => void)[] = [];
  private req: ClientRequest | undefined;
  response: IncomingMessage | undefined;
  ended = false;

  static async connect(
    base: string,
    path: string,
    headers: Record<string, string>,
  ): Promise<EventStreamClient> {
    const client = new EventStreamClient();
    open.push(client);
    await client.start(base, path, headers);
    return client;
  }

  private start(base: string, path: string, headers: Record<string, string>): Promise<void> {
    const { hostname, port } = new URL(base);
    return new Promise((resolve, reject) => {
      this.req = request(
        { host: hostname, port, path, headers: { accept: "text/event-stream", ...headers }, agent: false },
        (res) => {
          this.response = res;
          this.status = res.statusCode ?? 0;
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => this.take(chunk));
          res.on("close", () => {
            this.ended = true;
            this.wake();
          });
          resolve();
        },
      );
      this.req.on("error", (error) => {
        this.ended = true;
        this.wake();
        reject(error);
      });
      this.req.end();
    });
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf("\n\n"); end !== -1; end = this.buffer.indexOf("\n\n")) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) this.comments.push(line.slice(1).trim());
        else {
          const at = line.indexOf(":");
          fields[line.slice(0, at)] = line.slice(at + 1).replace(/^ /, "");
        }
      }
      if (fields.data !== undefined)
        this.events.push({
          id: Number(fields.id),
          event: fields.event ?? "message",
          data: JSON.parse(fields.data),
        });
    }
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves once `done` holds of what was received; fails after `timeoutMs` saying what came. */
  async until(done: (client: EventStreamClient) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this)) {
      if (this.ended && !done(this))
        throw new Error(`stream ended before ${what}; got ${this.ids().join(",")}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${this.ids().join(",")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  ids(): number[] {
    return this.events.map((event) => event.id);
  }

  close(): void {
    this.req?.destroy();
    this.response?.destroy();
  }
}
