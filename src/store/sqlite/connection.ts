import { BatonError } from "../../errors.js";
import { sleepSync } from "../../util/sleep.js";
import { openDatabase, type SqlDatabase, type SqlStatement, sqliteCode } from "./driver.js";
import { STALL_WATCH_AFTER_MS, StallWatch, writeLockHolders } from "./lock-holder.js";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.js";
import { storeError } from "./sqlite-errors.js";

/**
 * Why we retry SQLITE_BUSY ourselves instead of relying on busy_timeout:
 * SQLite's busy handler sleeps 1, 2, 5, 10 ... up to 100 ms between retries.
 * Measured here with 8 writing processes, that let some processes get nothing
 * for seconds, and `database is locked` still surfaced with a 5 s timeout.
 *
 * Our back-off ages: the longer a writer has waited, the more often it retries
 * (a newcomer waits up to 2 ms, a writer waiting over 2 ms retries within
 * 0.5 ms, over 5 ms within 0.1 ms). Measured with 8 processes claiming flat
 * out, plain exponential back-off let a writer lose the race 30 times in a row
 * (p99 25 ms) because a process that just committed comes straight back and
 * finds the lock free; with ageing the old waiters win those races instead
 * (p99 ~11-15 ms, every process within 0.9-1.1 of a fair share; see bench/).
 */
const AGEING: readonly { waitedMs: number; windowMs: number }[] = [
  { waitedMs: 5, windowMs: 0.1 },
  { waitedMs: 2, windowMs: 0.5 },
  { waitedMs: 0, windowMs: 2 },
];
const BUSY_GIVE_UP_MS = 60_000;
const POLITE_PAUSE_MS = 0.05;

function isBusy(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY, backing off with
 * jitter that shrinks as the wait grows. Given the database's `path`, a wait
 * that lasts finds out who holds the lock (StallWatch): a holder that is stopped
 * (Ctrl-Z, SIGSTOP, a debugger) will never let go by itself, so instead of
 * waiting out BUSY_GIVE_UP_MS the caller fails within ~3 s with `store_stalled`,
 * naming the process and how to resume it. A holder that runs, however slow,
 * is waited for: contention is never an error.
 *
 * The pauses between attempts are awaited (pauseAsync), so a process that serves
 * others (the hub, an MCP server) keeps answering while it waits for the lock.
 * Only opening a store (its migration, once) waits synchronously.
 */
export async function retryWhileBusy<T>(attempt: () => T, path?: string): Promise<T> {
  const busy = new BusyWait(path);
  for (;;) {
    try {
      return attempt();
    } catch (error) {
      await pauseAsync(busy.nextPause(error));
    }
  }
}

/** The same retries, blocking the thread between attempts: for opening a store, inside a constructor. */
function retryWhileBusySync<T>(attempt: () => T, path?: string): T {
  const busy = new BusyWait(path);
  for (;;) {
    try {
      return attempt();
    } catch (error) {
      sleepSync(busy.nextPause(error));
    }
  }
}

/** One wait for the write lock: how long to pause before the next attempt, or the error that ends the wait. */
class BusyWait {
  private readonly started = performance.now();
  private watch: StallWatch | undefined; // made only once a wait has lasted: the fast path reads nothing

  constructor(private readonly path: string | undefined) {}

  /** Rethrows anything but SQLITE_BUSY; otherwise the pause in ms (ageing, see AGEING). */
  nextPause(error: unknown): number {
    if (!isBusy(error)) throw error;
    const waited = performance.now() - this.started;
    if (this.path !== undefined && waited >= STALL_WATCH_AFTER_MS) {
      this.watch ??= new StallWatch(this.path);
      this.watch.check(waited);
    }
    if (waited > BUSY_GIVE_UP_MS) {
      const holders = this.path === undefined ? [] : writeLockHolders(this.path);
      const by = holders.map((h) => `process ${h.pid} (${h.command}, state ${h.state})`).join(", ");
      throw new BatonError(
        "store_busy",
        `the database stayed locked for ${BUSY_GIVE_UP_MS / 1000} s${by ? ` by ${by}` : ""}`,
        "another process holds a write lock on .baton/baton.db without letting go; find it (fuser .baton/baton.db) and stop it",
        holders.length ? { holders } : undefined,
      );
    }
    const { windowMs } = AGEING.find((step) => waited >= step.waitedMs)!;
    return Math.random() * windowMs;
  }
}

/**
 * Waits about `ms` without blocking the event loop. Timers have a 1 ms floor,
 * so the sub-millisecond pauses of AGEING become 1 ms; yielding to the event
 * loop until the time has passed (setImmediate) would keep them short, but
 * measured with 8 processes claiming on 2 cores it cost 4× the throughput and
 * p99 400+ ms: the spinning waiters took the core from the lock holder. Timer
 * waits came within ~10-40% of blocking the thread (Atomics.wait), which a
 * server cannot do.
 */
export function pauseAsync(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One open SQLite database with baton's settings, its schema migrated, and a
 * cache of prepared statements. Every write goes through `write`, which runs the
 * whole operation in one `BEGIN IMMEDIATE` transaction.
 */
export class Connection {
  readonly db: SqlDatabase;
  private readonly statements = new Map<string, SqlStatement>();

  constructor(readonly path: string) {
    try {
      this.db = openDatabase(path);
      // We wait for locks ourselves (retryWhileBusy), so SQLite must not.
      this.db.exec("PRAGMA busy_timeout = 0");
      retryWhileBusySync(() => this.db.exec("PRAGMA journal_mode = WAL"), path);
      /*
       * synchronous=NORMAL in WAL mode: a commit is durable once written to the
       * WAL, without an fsync per commit. That survives kill -9 of any process
       * (promise 5: the data is in the OS's page cache the moment COMMIT
       * returns); only a power cut or kernel crash can lose the last commits.
       * FULL would fsync every commit and, measured here, cut claims/s with 8
       * processes from ~20,000 to ~3,000. The hub server, which batches
       * commits, is where FULL becomes affordable.
       */
      this.db.exec("PRAGMA synchronous = NORMAL");
      this.db.exec("PRAGMA foreign_keys = OFF");
      this.migrate();
    } catch (error) {
      throw storeError(error, path, "open");
    }
  }

  private migrate(): void {
    const version = () =>
      Number((this.db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
    const found = retryWhileBusySync(version, this.path);
    if (found > SCHEMA_VERSION) {
      throw new BatonError(
        "store_too_new",
        `the database was written by a newer baton (schema ${found}; this one knows ${SCHEMA_VERSION})`,
        "upgrade baton (npm install baton@latest) on this machine",
      );
    }
    if (found === SCHEMA_VERSION) return;
    retryWhileBusySync(() => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        // Another process may have migrated while we waited for the lock.
        for (let v = version(); v < SCHEMA_VERSION; v++) {
          this.db.exec(MIGRATIONS[v]!);
          this.db.exec(`PRAGMA user_version = ${v + 1}`);
        }
        this.db.exec("COMMIT");
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    }, this.path);
  }

  statement(sql: string): SqlStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  all<Row>(sql: string, ...params: unknown[]): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  get<Row>(sql: string, ...params: unknown[]): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  run(sql: string, ...params: unknown[]): ReturnType<SqlStatement["run"]> {
    return this.statement(sql).run(...params);
  }

  private lastWriteContended = false;

  /** Runs `operation` in one BEGIN IMMEDIATE transaction; rolls it back when `dryRun`. */
  async write<T>(operation: () => T, dryRun = false): Promise<T> {
    // Anti-barging: a writer that just committed finds the lock free before any
    // sleeping waiter wakes, so it would win again and again. When our last
    // write had to wait (others are queueing), pause up to 50 µs first; the
    // waiters get the gap. Measured with 8 processes: claim p99 11 → 7.6 ms and
    // throughput up, not down. An uncontended writer never pauses.
    if (this.lastWriteContended) await pauseAsync(Math.random() * POLITE_PAUSE_MS);
    let attempts = 0;
    const result = await retryWhileBusy(() => {
      attempts++;
      return this.inTransaction("BEGIN IMMEDIATE", operation, dryRun ? "ROLLBACK" : "COMMIT");
    }, this.path);
    this.lastWriteContended = attempts > 1;
    return result;
  }

  /** A consistent read: a deferred transaction sees one snapshot across statements. */
  read<T>(operation: () => T): Promise<T> {
    return retryWhileBusy(() => this.inTransaction("BEGIN", operation, "COMMIT"), this.path);
  }

  /** Runs `operation` between `begin` and `end`; rolls back whatever it left open if it throws. */
  private inTransaction<T>(begin: string, operation: () => T, end: "COMMIT" | "ROLLBACK"): T {
    this.db.exec(begin);
    try {
      const result = operation();
      this.db.exec(end);
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
  }

  close(): void {
    this.db.close();
  }
}
