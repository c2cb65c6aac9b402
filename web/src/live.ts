import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, get } from "./api";
import type { BatonEvent } from "./api-types";
import { takeEarly } from "./early";
import { safeReviver } from "./shown";

/** One event of the hub's log, as the live stream carries it (src/domain/types.ts). */
export type LiveEvent = BatonEvent;

export type Connection = "connecting" | "live" | "offline";

type Listener = (events: LiveEvent[]) => void;

/** Events arriving within this long are handed on together, so a burst re-reads a screen once. */
const BATCH_MS = 30;
/** Reconnect delays (the last repeats): quick after a blip, gentle on a hub that is down. */
const BACKOFF_MS = [250, 1000, 2000, 5000];
/** No sign of the stream this long (the hub sends a keep-alive every 15 s): reconnect. */
const SILENT_MS = 40_000;
/** A page out of sight this long closes its stream until it is seen again. */
const HIDDEN_MS = 60_000;

const RESET: LiveEvent = { seq: -1, at: 0, actor: "", type: "reset", subject: null, summary: "", data: {} };

/**
 * The page's one live connection to the hub: the event log over Server-Sent
 * Events. It remembers the last sequence number seen and resumes after it on
 * every reconnect (a dropped network, a phone waking up, a hub restarted), so
 * no event is lost; listeners get events in order, each once. A `reset` (the
 * hub no longer has that point of the log) tells every listener to reload.
 */
class LiveStream {
  private abort: AbortController | undefined;
  private started = false;
  private paused = false;
  private hiddenTimer: ReturnType<typeof setTimeout> | undefined;
  /** Told when the hub refuses the stream (the device was revoked): the shell shows the pairing screen. */
  onRefused: (status: number) => void = () => undefined;
  private last: number | undefined;
  private listeners = new Set<Listener>();
  private stateListeners = new Set<(state: Connection) => void>();
  private batch: LiveEvent[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  state: Connection = "connecting";

  start(): void {
    if (this.started) return;
    this.started = true;
    // Where the log is now: the stream resumes from here, so what happens before it first connects
    // (or while it is away) is replayed, not lost.
    fetch("/api/v1/events?limit=1", { credentials: "same-origin", cache: "no-store" })
      .then((r) => (r.ok ? r.json() : { events: [] }))
      .then((body: { events?: LiveEvent[] }) => {
        this.last ??= body.events?.at(-1)?.seq ?? 0;
      })
      .catch(() => undefined)
      .finally(() => this.connect());
    window.addEventListener("online", () => this.reconnect(0));
    window.addEventListener("offline", () => this.setState("offline"));
    // A page out of sight lets go of its stream after a while: a browser opens at most 6
    // connections to one host, and tabs left open would take them all. Back in sight, it
    // resumes from the last event it had (a phone that slept may also hold a dead socket).
    document.addEventListener("visibilitychange", () => {
      clearTimeout(this.hiddenTimer);
      if (document.visibilityState === "hidden") {
        this.hiddenTimer = setTimeout(() => this.pause(), HIDDEN_MS);
      } else if (this.paused || this.state !== "live") {
        this.paused = false;
        this.reconnect(0);
      }
    });
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (this.last !== undefined) headers["last-event-id"] = String(this.last);
    this.feed();
    fetch("/api/v1/events", { headers, signal: abort.signal, credentials: "same-origin", cache: "no-store" })
      .then(async (response) => {
        if (!response.ok || !response.body) {
          if (response.status === 401 || response.status === 403) this.onRefused(response.status);
          throw new Error(`stream answered ${response.status}`);
        }
        this.attempts = 0;
        this.setState("live");
        await this.read(response.body.pipeThrough(new TextDecoderStream()).getReader());
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.abort === abort && !abort.signal.aborted) this.reconnect();
      });
  }

  /** Reads SSE frames: `id`, `event` and `data` lines, a blank line ending each. */
  private async read(reader: ReadableStreamDefaultReader<string>): Promise<void> {
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      this.feed();
      buffer += value;
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        let type = "message";
        const data: string[] = [];
        for (const line of frame.split("\n")) {
          if (line.startsWith("event: ")) type = line.slice(7);
          else if (line.startsWith("data: ")) data.push(line.slice(6));
        }
        if (data.length === 0) continue;
        if (type === "reset") this.emit([RESET]);
        else this.take(data.join("\n"));
      }
    }
  }

  private take(data: string): void {
    let event: LiveEvent;
    try {
      event = JSON.parse(data, safeReviver) as LiveEvent;
    } catch {
      return;
    }
    if (this.last !== undefined && event.seq <= this.last) return;
    this.last = event.seq;
    this.batch.push(event);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const events = this.batch;
      this.batch = [];
      this.emit(events);
    }, BATCH_MS);
  }

  private pause(): void {
    this.paused = true;
    clearTimeout(this.watchdog);
    clearTimeout(this.retryTimer);
    this.abort?.abort();
    this.abort = undefined;
  }

  /** Anything from the stream shows it is alive; silence past the watchdog means a dead socket. */
  private feed(): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.reconnect(0), SILENT_MS);
  }

  private reconnect(delay = BACKOFF_MS[Math.min(this.attempts, BACKOFF_MS.length - 1)]!): void {
    if (this.paused) return;
    this.attempts++;
    this.abort?.abort();
    this.abort = undefined;
    clearTimeout(this.retryTimer);
    this.setState(navigator.onLine ? "connecting" : "offline");
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private emit(events: LiveEvent[]): void {
    for (const listener of this.listeners) listener(events);
  }

  private setState(state: Connection): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  watch(listener: (state: Connection) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }
}

export const live = new LiveStream();

/** The connection's state, for the offline banner. */
export function useConnection(): Connection {
  const [state, setState] = useState(live.state);
  useEffect(() => live.watch(setState), []);
  return state;
}

/**
 * Runs `reload` when an event that matters to the caller arrives (or on a
 * reset, or on reconnecting after being offline): the screen re-reads what it
 * shows, so what it shows is always what the hub has.
 */
export function useLive(matters: (event: LiveEvent) => boolean, reload: () => void): void {
  const latest = useRef({ matters, reload });
  latest.current = { matters, reload };
  useEffect(() => {
    const off = live.listen((events) => {
      if (events.some((e) => e.type === "reset" || latest.current.matters(e))) latest.current.reload();
    });
    const offState = live.watch((state) => {
      if (state === "live") latest.current.reload();
    });
    return () => {
      off();
      offState();
    };
  }, []);
}

/** Every event, as it comes (the activity screen). */
export function useEvents(listener: Listener): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => live.listen((events) => latest.current(events)), []);
}

/** Reads of one path started in the same task, shared. */
const reading = new Map<string, Promise<unknown>>();

/**
 * One read for every screen part that asks for the same path in the same
 * task: an event that matters to two of them (the inbox and the count beside
 * its name) costs the hub one request, not two. Only reads started together
 * are shared, so a read never answers with what was there before the event
 * that asked for it.
 */
function sharedRead<T>(path: string): Promise<T> {
  let promise = reading.get(path) as Promise<T> | undefined;
  if (!promise) {
    promise = get<T>(path);
    reading.set(path, promise);
    setTimeout(() => reading.delete(path), 0);
  }
  return promise;
}

/** Retry delays after a failed read (a blip, a hub restarting): the last repeats. */
const RETRY_MS = [1000, 2000, 5000, 10_000];

/**
 * A screen's data from one API path, kept current: read on mount, re-read
 * when a matching event arrives or the connection comes back, and read again
 * after a failed read (the network or the hub was away) until it succeeds.
 */
export function useLiveResource<T>(
  path: string,
  matters: (event: LiveEvent) => boolean,
): { data: T | undefined; error: ApiError | undefined; reload: () => void } {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const state = useRef({
    failures: 0,
    timer: undefined as ReturnType<typeof setTimeout> | undefined,
    seq: 0,
  });
  const reload = useCallback(() => {
    const mine = ++state.current.seq;
    clearTimeout(state.current.timer);
    (takeEarly<T>(path) ?? sharedRead<T>(path))
      .then((next) => {
        if (mine !== state.current.seq) return;
        state.current.failures = 0;
        setData(next);
        setError(undefined);
      })
      .catch((e: ApiError) => {
        if (mine !== state.current.seq) return;
        setError(e);
        if (e.status === 0 || e.status >= 500) {
          const delay = RETRY_MS[Math.min(state.current.failures++, RETRY_MS.length - 1)]!;
          state.current.timer = setTimeout(reload, delay);
        }
      });
  }, [path]);
  useEffect(() => {
    reload();
    return () => clearTimeout(state.current.timer);
  }, [reload]);
  useLive(matters, reload);
  return { data, error, reload };
}
