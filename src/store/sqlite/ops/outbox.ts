import type {
  OutboxConsumer,
  OutboxDelivery,
  TakeOutboxInput,
  TakeOutboxResult,
  UnfinishedDelivery,
} from "../../port.js";
import { type EventRow, toEvent } from "../rows.js";
import type { Tx } from "../tx.js";

/**
 * How far a consumer's cursor may lag behind the log with nothing for it
 * before a drain moves it anyway: a consumer of rare events would otherwise
 * scan ever more events on every look.
 */
const MAX_IDLE_LAG = 1000;

/** The consumer's cursor; undefined for a consumer never seen (its cursor is made at `startAfter`). */
function storedCursor(tx: Tx, consumer: OutboxConsumer): number | undefined {
  return tx.conn.get<{ seq: number }>(`SELECT seq FROM outbox_cursors WHERE consumer = ?`, consumer.name)
    ?.seq;
}

function matching(tx: Tx, consumer: OutboxConsumer, after: number, upTo: number, limit: number): EventRow[] {
  if (consumer.types.length === 0) return [];
  const marks = consumer.types.map(() => "?").join(", ");
  return tx.conn.all<EventRow>(
    `SELECT * FROM events WHERE seq > ? AND seq <= ? AND type IN (${marks}) ORDER BY seq LIMIT ?`,
    after,
    upTo,
    ...consumer.types,
    limit,
  );
}

function head(tx: Tx): number {
  return tx.conn.get<{ seq: number }>(`SELECT coalesce(max(seq), 0) AS seq FROM events`)!.seq;
}

/**
 * Whether a drain has anything to take, or a cursor to make or move: a read,
 * so an idle drain writes nothing. A new consumer's cursor is made at once, so
 * the events after `startAfter` wait for it whichever process drains next.
 */
export function outboxPending(tx: Tx, input: { consumers: OutboxConsumer[] }): boolean {
  const last = head(tx);
  return input.consumers.some((consumer) => {
    const cursor = storedCursor(tx, consumer);
    if (cursor === undefined) return true;
    if (cursor >= last) return false;
    return last - cursor > MAX_IDLE_LAG || matching(tx, consumer, cursor, last, 1).length > 0;
  });
}

/**
 * Takes the next events for each consumer: every event after its cursor of a
 * type it consumes becomes a delivery owned by `runner`, and the cursor moves
 * past them, in one transaction, so each event is taken by one runner only.
 * `retry` takes back deliveries whose runner died before finishing them.
 */
export function takeOutbox(tx: Tx, input: TakeOutboxInput): TakeOutboxResult {
  const last = head(tx);
  const deliveries: OutboxDelivery[] = [];
  for (const consumer of input.consumers) {
    const stored = storedCursor(tx, consumer);
    const cursor = stored ?? consumer.startAfter;
    const rows = cursor < last ? matching(tx, consumer, cursor, last, input.limit) : [];
    for (const row of rows) {
      tx.conn.run(
        `INSERT INTO outbox_deliveries (seq, consumer, runner, started_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        row.seq,
        consumer.name,
        input.runner,
        tx.now,
      );
      deliveries.push({ consumer: consumer.name, event: toEvent(row), attempts: 1 });
    }
    const moved = rows.length === input.limit ? rows[rows.length - 1]!.seq : last;
    if (moved !== stored) {
      tx.conn.run(
        `INSERT INTO outbox_cursors (consumer, seq) VALUES (?, ?) ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq`,
        consumer.name,
        moved,
      );
    }
  }
  for (const { seq, consumer, runner } of input.retry ?? []) {
    const taken = tx.conn.get<{ attempts: number }>(
      `UPDATE outbox_deliveries SET runner = ?, started_at = ?, attempts = attempts + 1
       WHERE seq = ? AND consumer = ? AND runner = ? AND finished_at IS NULL RETURNING attempts`,
      input.runner,
      tx.now,
      seq,
      consumer,
      runner,
    );
    const row = taken && tx.conn.get<EventRow>(`SELECT * FROM events WHERE seq = ?`, seq);
    if (taken && row) deliveries.push({ consumer, event: toEvent(row), attempts: taken.attempts });
  }
  deliveries.sort((a, b) => a.event.seq - b.event.seq);
  return { deliveries };
}

export function finishOutbox(tx: Tx, input: { seq: number; consumer: string }): void {
  tx.conn.run(
    `UPDATE outbox_deliveries SET finished_at = ? WHERE seq = ? AND consumer = ?`,
    tx.now,
    input.seq,
    input.consumer,
  );
}

/** Deliveries taken but not finished: their runner is still at it, or died. */
export function listUnfinishedOutbox(tx: Tx, input: { consumers: string[] }): UnfinishedDelivery[] {
  if (input.consumers.length === 0) return [];
  const marks = input.consumers.map(() => "?").join(", ");
  return tx.conn.all<UnfinishedDelivery>(
    `SELECT seq, consumer, runner, started_at AS startedAt FROM outbox_deliveries
     WHERE finished_at IS NULL AND consumer IN (${marks}) ORDER BY seq`,
    ...input.consumers,
  );
}
