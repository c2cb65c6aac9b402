import type { Connection } from "./connection.js";
import type { Tx } from "./tx.js";

/**
 * Group commit, for the hub server (the one writer of a store): writes that
 * arrive while a batch waits for the lock or within the same turn of the event
 * loop are run together in ONE `BEGIN IMMEDIATE … COMMIT`. A commit writes the
 * WAL frames of every page it touched; a batch of claims touches the same few
 * pages (the task table's, the event log's last page) and writes them once.
 *
 * Each operation runs inside its own SAVEPOINT: one that fails rolls back only
 * its own changes and rejects only its own promise, with its own error; the
 * others commit. Nothing resolves before COMMIT has returned, so an answered
 * write is a committed one (kill -9 of the hub after that loses nothing).
 */

/** Bounds a batch, so the latency of the first operation in it stays bounded too. */
export const MAX_BATCH = 256;

export interface QueuedWrite {
  tx: Tx;
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface GroupCommitStats {
  /** Transactions committed by batches. */
  transactions: number;
  /** Operations run in them (committed or rolled back to their savepoint). */
  operations: number;
}

export class GroupCommitter {
  private readonly queue: QueuedWrite[] = [];
  private running: Promise<void> | undefined;
  readonly stats: GroupCommitStats = { transactions: 0, operations: 0 };

  constructor(
    private readonly conn: Connection,
    /** Turns a raw SQLite failure into the BatonError a caller sees. */
    private readonly translate: (error: unknown) => unknown,
    /** Sent once per committed batch, with the union of its topics. */
    private readonly afterCommit: (wake: Set<string>) => Promise<void>,
  ) {}

  submit(entry: QueuedWrite): void {
    this.queue.push(entry);
    // setImmediate, not a microtask: requests read from sockets in this turn join the batch.
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drainQueue());
  }

  /** Resolves once every write submitted so far has been answered (for close). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drainQueue(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commitBatch(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.running = undefined;
    }
  }

  private async commitBatch(batch: QueuedWrite[]): Promise<void> {
    let outcomes: Outcome[] = [];
    try {
      await this.conn.write(() => {
        // Runs again from the start if the lock was busy (another process writes the file directly).
        outcomes = batch.map((entry) => this.runInSavepoint(entry));
      });
    } catch (error) {
      // BEGIN or COMMIT failed (a full disk, a damaged file): nothing of the batch was kept.
      const failure = this.translate(error);
      for (const entry of batch) entry.reject(failure);
      return;
    }
    this.stats.transactions++;
    this.stats.operations += batch.length;
    const wake = new Set<string>();
    for (const [i, entry] of batch.entries()) if (outcomes[i]!.ok) for (const t of entry.tx.wake) wake.add(t);
    // The next batch may start meanwhile; these answers wait only for their own wake-up to be sent.
    const answer = () => {
      for (const [i, entry] of batch.entries()) {
        const outcome = outcomes[i]!;
        if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      }
    };
    // A notifier never throws (its port says so); answering must not hang on one that did.
    void this.afterCommit(wake).then(answer, answer);
  }

  private runInSavepoint(entry: QueuedWrite): Outcome {
    const { conn } = this;
    entry.tx.wake.clear();
    // Prepared once and cached (conn.run), not parsed again for every operation as exec would.
    conn.run("SAVEPOINT op");
    try {
      const value = entry.run();
      conn.run("RELEASE op");
      return { ok: true, value };
    } catch (error) {
      // Some failures (a full disk, I/O) make SQLite roll back the whole transaction:
      // then nothing of the batch is kept, so the batch fails as one.
      if (!conn.db.inTransaction) throw error;
      conn.run("ROLLBACK TO op");
      conn.run("RELEASE op");
      entry.tx.wake.clear();
      return { ok: false, error: this.translate(error) };
    }
  }
}
