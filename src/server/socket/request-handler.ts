import { BatonError, toBatonError } from "../../errors.js";
import { WakeLatch } from "../../notify/notifier.js";
import { isStoreOperation } from "../../store/operations.js";
import type { Store } from "../../store/port.js";
import type { FrameWriter } from "../../store/remote/frame-writer.js";
import type { HubHello } from "../../store/remote/protocol.js";

export interface ConnectionContext {
  store: Store;
  hello: HubHello;
  /** Shared by every connection of the server. */
  counters: { requests: number };
  writer: FrameWriter;
  /** This connection's subscriptions by id, each with what closes it. */
  subscriptions: Map<number, () => void>;
  /** False once the client has gone: a subscription made after that would never be closed. */
  isOpen: () => boolean;
}

/** A latch that, instead of waiting to be asked, tells the client at once. */
class PushLatch extends WakeLatch {
  constructor(private readonly push: () => void) {
    super();
  }

  override wake(): void {
    this.push();
  }
}

const MAX_SUBSCRIPTIONS = 1000;

function malformed(what: string): BatonError {
  return new BatonError(
    "invalid_input",
    `malformed request to the hub: ${what}`,
    "send one JSON object per line: {id, op, input}, {id, subscribe}, {id, unsubscribe}, {id, notify} or {id, hello}",
  );
}

function isTopics(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length <= 100 &&
    value.every((t) => typeof t === "string" && t.length <= 300)
  );
}

/** Answers one request line. Never throws for what a client sent: every mistake is answered as an error. */
export async function handleFrame(line: Buffer, ctx: ConnectionContext): Promise<void> {
  let frame: unknown;
  try {
    frame = JSON.parse(line.toString("utf8"));
  } catch {
    ctx.writer.send({ id: null, error: malformed("not JSON").toJSON() });
    return;
  }
  if (typeof frame !== "object" || frame === null || Array.isArray(frame)) {
    ctx.writer.send({ id: null, error: malformed("not a JSON object").toJSON() });
    return;
  }
  const request = frame as Record<string, unknown>;
  const id = request.id;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) {
    ctx.writer.send({ id: null, error: malformed("`id` must be a non-negative integer").toJSON() });
    return;
  }
  try {
    ctx.writer.send({ id, result: await answer(id, request, ctx) });
  } catch (error) {
    ctx.writer.send({ id, error: toBatonError(error).toJSON() });
  }
}

async function answer(
  id: number,
  request: Record<string, unknown>,
  ctx: ConnectionContext,
): Promise<unknown> {
  if ("op" in request) {
    const { op, input } = request;
    if (!isStoreOperation(op))
      throw malformed(`no store operation is called ${JSON.stringify(String(op)).slice(0, 80)}`);
    if (input !== undefined && (typeof input !== "object" || input === null || Array.isArray(input)))
      throw malformed("`input` must be a JSON object");
    ctx.counters.requests++;
    const call = ctx.store[op] as (input: unknown) => Promise<unknown>;
    return call.call(ctx.store, input ?? {});
  }
  if (request.hello === true) return { ...ctx.hello, requests: ctx.counters.requests };
  if ("subscribe" in request) {
    if (!isTopics(request.subscribe)) throw malformed("`subscribe` must be a list of topic names");
    if (ctx.subscriptions.size >= MAX_SUBSCRIPTIONS)
      throw new BatonError(
        "rate_limited",
        `this connection already has ${MAX_SUBSCRIPTIONS} subscriptions`,
        "unsubscribe from what you no longer wait on",
      );
    if (ctx.subscriptions.has(id)) throw malformed(`subscription ${id} exists already`);
    const subscription = await ctx.store.notifier.subscribe(
      request.subscribe,
      new PushLatch(() => ctx.writer.send({ wake: id })),
    );
    if (!ctx.isOpen()) subscription.close();
    else ctx.subscriptions.set(id, () => subscription.close());
    return null;
  }
  if ("unsubscribe" in request) {
    const target = request.unsubscribe;
    if (typeof target !== "number") throw malformed("`unsubscribe` must be a subscription id");
    ctx.subscriptions.get(target)?.();
    ctx.subscriptions.delete(target);
    return null;
  }
  if ("notify" in request) {
    if (!isTopics(request.notify)) throw malformed("`notify` must be a list of topic names");
    await ctx.store.notifier.notify(request.notify);
    return null;
  }
  throw malformed("none of op, hello, subscribe, unsubscribe or notify");
}
