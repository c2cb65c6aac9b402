import { createRequire } from "node:module";
import { BatonError } from "../../errors.js";

/**
 * The little of a SQLite driver that baton uses, so it can run on either:
 *
 * - `node:sqlite`, built into Node from 22.13, preferred where present. On Node
 *   24.19+ better-sqlite3 12 (the last major that runs on Node 20) aborts the
 *   process when a garbage-collected statement is finalised without a current
 *   environment (`RemoveEnvironmentCleanupHook`, nodejs/node#65446); seen here
 *   in any process that opens and closes many stores.
 * - better-sqlite3, on Node 20, which has no built-in driver.
 *
 * Only the chosen driver is loaded. BATON_SQLITE_DRIVER=better-sqlite3 or
 * node:sqlite forces one (for tests and for working around a broken build).
 */
export interface SqlStatement {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqlDatabase {
  readonly driver: DriverName;
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  readonly inTransaction: boolean;
  close(): void;
}

export type DriverName = "node:sqlite" | "better-sqlite3";

const require = createRequire(import.meta.url);

interface NodeSqlite {
  DatabaseSync: new (
    path: string,
  ) => {
    exec(sql: string): void;
    prepare(sql: string): SqlStatement;
    readonly isTransaction: boolean;
    close(): void;
  };
}

function loadNodeSqlite(): NodeSqlite | undefined {
  // Node 22 warns that node:sqlite is experimental; that warning is noise on every CLI call.
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).includes("SQLite is an experimental feature")) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    // getBuiltinModule (Node 22.3+) rather than require: bundlers leave it alone, and Node 20 lacks both.
    const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    const module = getBuiltin?.("node:sqlite") as NodeSqlite | undefined;
    if (!module) return undefined;
    // isTransaction arrived in 22.16; without it we could not roll back safely.
    const probe = new module.DatabaseSync(":memory:");
    const usable = typeof probe.isTransaction === "boolean";
    probe.close();
    return usable ? module : undefined;
  } catch {
    return undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
}

interface NativeDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  close(): void;
}

/** The two drivers differ only in what they call the transaction flag. */
function adapt(driver: DriverName, db: NativeDatabase, inTransaction: () => boolean): SqlDatabase {
  return {
    driver,
    exec: (sql) => db.exec(sql),
    prepare: (sql) => db.prepare(sql),
    get inTransaction() {
      return inTransaction();
    },
    close: () => db.close(),
  };
}

function openWithNodeSqlite(module: NodeSqlite, path: string): SqlDatabase {
  const db = new module.DatabaseSync(path);
  const prepare = (sql: string) => {
    const statement = db.prepare(sql) as SqlStatement & { setAllowUnknownNamedParameters(on: boolean): void };
    // better-sqlite3 ignores named parameters a statement does not use; match it.
    statement.setAllowUnknownNamedParameters(true);
    return statement;
  };
  return adapt(
    "node:sqlite",
    { exec: (sql) => db.exec(sql), prepare, close: () => db.close() },
    () => db.isTransaction,
  );
}

function openWithBetterSqlite(path: string): SqlDatabase {
  let Database: new (path: string) => NativeDatabase & { inTransaction: boolean };
  try {
    Database = require("better-sqlite3");
  } catch (error) {
    throw new BatonError(
      "unsupported",
      `no SQLite driver: better-sqlite3 did not load (${(error as Error).message.split("\n")[0]})`,
      "on Node 20 baton needs better-sqlite3's native build: install python3, make and g++ and run npm rebuild better-sqlite3; or use Node 22.16+, which has SQLite built in",
    );
  }
  const db = new Database(path);
  return adapt("better-sqlite3", db, () => db.inTransaction);
}

export function openDatabase(path: string): SqlDatabase {
  const forced = process.env.BATON_SQLITE_DRIVER;
  if (forced && forced !== "node:sqlite" && forced !== "better-sqlite3") {
    throw new BatonError(
      "invalid_input",
      `unknown BATON_SQLITE_DRIVER '${forced}'`,
      "use node:sqlite or better-sqlite3, or unset it",
    );
  }
  if (forced !== "better-sqlite3") {
    const nodeSqlite = loadNodeSqlite();
    if (nodeSqlite) return openWithNodeSqlite(nodeSqlite, path);
    if (forced === "node:sqlite") {
      throw new BatonError(
        "unsupported",
        `node:sqlite is not available in Node ${process.version}`,
        "it needs Node 22.16 or newer",
      );
    }
  }
  return openWithBetterSqlite(path);
}

const PRIMARY_CODES: Record<number, string> = {
  3: "SQLITE_PERM",
  5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED",
  8: "SQLITE_READONLY",
  10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT",
  13: "SQLITE_FULL",
  14: "SQLITE_CANTOPEN",
  26: "SQLITE_NOTADB",
};

/** The primary SQLite result code of an error from either driver, e.g. `SQLITE_BUSY`. */
export function sqliteCode(error: unknown): string | undefined {
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (typeof errcode === "number") return PRIMARY_CODES[errcode & 0xff] ?? `SQLITE_${errcode & 0xff}`;
  if (typeof code === "string" && code.startsWith("SQLITE_"))
    return code.replace(/^(SQLITE_[A-Z]+)_.*$/, "$1");
  return undefined;
}
