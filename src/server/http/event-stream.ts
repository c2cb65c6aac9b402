import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { BatonEvent } from "../../domain/types.js";
import { BatonError } from "../../errors.js";
import type { Store } from "../../store/port.js";
import type { EventFollower, EventSink } from "./event-follower.js";
import { EVENT_FILTER } from "./routes/project-routes.js";
import { validate } from "./validate.js";

/** Events read from the log per step while a stream catches up. */
const CATCH_UP_PAGE = 500;

/** How long a catching-up client may leave what was sent unread before it is dropped (it resumes with Last-Event-ID). */
const STALLED_READER_MS = 30_000;

/** The query a live stream takes: the event filters, and where to start (Last-Event-ID wins over after). */
export const STREAM_QUERY = z.object(EVENT_FILTER).strict();

export interface StreamLimits {
  /** A comment line this often, so proxies and clients know the stream is alive. */
  keepAliveMs: number;
  /** What may wait unsent for one client; a client that stops reading past it is dropped. */
  bufferBytes: number;
  /**
   * Streams one caller (a key, a device) may hold open at once: each holds a
   * socket and up to bufferBytes, so without a bound one caller could take
   * every file descriptor the hub has. A person's tabs each open one.
   */
  perCaller: number;
}

/** Live events wanted by a stream, while it reads the log to catch up. Past this, it reads the log again. */
const PENDING_EVENTS = 1000;

interface Filter {
  agent?: string;
  type?: string;
  task?: string;
}

function matches(event: BatonEvent, filter: Filter): boolean {
  if (filter.agent !== undefined && event.actor !== filter.agent) return false;
  if (filter.task !== undefined && event.subject !== filter.task) return false;
  if (filter.type !== undefined) {
    if (filter.type.endsWith(".") ? !event.type.startsWith(filter.type) : event.type !== filter.type)
      return false;
  }
  return true;
}

/** One event as SSE: its sequence number is the id a client resumes from. Nothing in it may break a line. */
function frame(event: BatonEvent): string {
  return `id: ${event.seq}\nevent: ${event.type.replace(/[\r\n]/g, "")}\ndata: ${JSON.stringify(event)}\n\n`;
}

function resumeFrom(req: IncomingMessage, after: number | undefined): number | undefined {
  const header = req.headers["last-event-id"];
  if (header === undefined) return after;
  const text = Array.isArray(header) ? header[0]! : header;
  if (!/^\d{1,15}$/.test(text.trim()))
    throw new BatonError(
      "invalid_input",
      "Last-Event-ID must be an event's sequence number",
      "resume with the id of the last event received",
    );
  return Number(text.trim());
}

/**
 * One client's live stream of the event log (Server-Sent Events). It starts
 * after `Last-Event-ID` (or `after`), replaying from the log what came since,
 * then takes the follower's live batches; `cursor`, the last sequence number
 * passed on, makes the hand-over exact: nothing twice, nothing skipped.
 */
class EventStream implements EventSink {
  private cursor = 0;
  /** Live batches that came during catch-up; null once live. */
  private pending: BatonEvent[] | null = [];
  private overflowed = false;
  private ended = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly filter: Filter,
    private readonly limits: StreamLimits,
    private readonly onEnd: () => void,
  ) {}

  deliver(events: readonly BatonEvent[]): void {
    if (this.ended) return;
    if (this.pending) {
      if (this.pending.length + events.length > PENDING_EVENTS) {
        this.pending = [];
        this.overflowed = true;
      } else this.pending.push(...events);
      return;
    }
    this.write(events);
    // A client that stopped reading: dropped, never buffered without bound. It resumes with Last-Event-ID.
    if (this.res.writableLength > this.limits.bufferBytes) this.end(true);
  }

  private write(events: readonly BatonEvent[]): boolean {
    let ok = true;
    const out: string[] = [];
    for (const event of events) {
      if (event.seq <= this.cursor) continue;
      this.cursor = event.seq;
      if (matches(event, this.filter)) out.push(frame(event));
    }
    if (out.length > 0) ok = this.res.write(out.join(""));
    return ok;
  }

  /** Replays the log after `from`, waiting for the client to read (the log holds it, not memory); then goes live. */
  async catchUp(store: Store, from: number): Promise<void> {
    this.cursor = from;
    for (;;) {
      this.overflowed = false;
      // A page at a time, each written before the next is read: a long log is never in memory
      // at once, and one client catching up does not hold the hub's event loop.
      const events = await store.listEvents({
        afterSeq: this.cursor,
        actor: this.filter.agent,
        type: this.filter.type,
        subject: this.filter.task,
        limit: CATCH_UP_PAGE,
        oldest: true,
      });
      for (let i = 0; i < events.length && !this.ended; i += 100) {
        if (!this.write(events.slice(i, i + 100))) await this.drained();
      }
      if (this.ended) return;
      if (events.length === CATCH_UP_PAGE) {
        this.cursor = Math.max(this.cursor, events[events.length - 1]!.seq);
        continue;
      }
      if (!this.overflowed) break;
    }
    const waiting = this.pending ?? [];
    this.pending = null;
    this.write(waiting);
  }

  /** Resolves when the client has read what was written; a client that reads nothing for a while is dropped. */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        done();
        this.end(true);
      }, STALLED_READER_MS);
      const done = () => {
        clearTimeout(timer);
        this.res.off("drain", done);
        this.res.off("close", done);
        resolve();
      };
      this.res.on("drain", done);
      this.res.on("close", done);
    });
  }

  keepAlive(): void {
    if (!this.ended) this.res.write(": keep-alive\n\n");
  }

  end(drop = false): void {
    if (this.ended) return;
    this.ended = true;
    if (drop) this.res.destroy();
    else this.res.end();
    this.onEnd();
  }
}

/** Live streams of one server, all fed by its one follower. */
export class EventStreams {
  private readonly open = new Set<EventStream>();
  /** Open streams per caller. */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly follower: EventFollower,
    private readonly limits: StreamLimits,
  ) {}

  get count(): number {
    return this.open.size;
  }

  /** `caller`: who opens it (a key id, a device id), for the bound on streams per caller. */
  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    query: Record<string, string>,
    caller: string,
  ): Promise<void> {
    const { after, ...filter } = validate(STREAM_QUERY, query, "query");
    const from = resumeFrom(req, after);
    const holding = this.held.get(caller) ?? 0;
    if (holding >= this.limits.perCaller)
      throw new BatonError(
        "rate_limited",
        `${caller} already has ${holding} live event streams open; the limit is ${this.limits.perCaller}`,
        "close streams no longer read (a tab, a client left running) before opening another; one stream can filter for several things",
        { retryAfterS: 5, limit: this.limits.perCaller },
      );
    this.held.set(caller, holding + 1);
    let timer: NodeJS.Timeout | undefined;
    const stream = new EventStream(res, filter, this.limits, () => {
      clearInterval(timer);
      this.follower.detach(stream);
      this.open.delete(stream);
      const left = (this.held.get(caller) ?? 1) - 1;
      if (left > 0) this.held.set(caller, left);
      else this.held.delete(caller);
    });
    this.open.add(stream);
    res.on("close", () => stream.end());
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    });
    res.write("retry: 1000\n\n");
    timer = setInterval(() => stream.keepAlive(), this.limits.keepAliveMs);
    timer.unref();
    try {
      const head = await this.follower.attach(stream);
      // Asked to start after an event the log does not have (its store was replaced, an id from another
      // hub): start from now, and say so, so the client reloads what it shows instead of waiting in silence.
      if (from !== undefined && from > head)
        res.write(`event: reset\ndata: ${JSON.stringify({ head, asked: from })}\n\n`);
      // No starting point: live from now on.
      await stream.catchUp(this.store, from === undefined || from > head ? head : from);
    } catch {
      stream.end(true);
    }
  }

  close(): void {
    for (const stream of [...this.open]) stream.end();
  }
}
