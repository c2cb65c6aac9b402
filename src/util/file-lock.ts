import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { BatonError } from "../errors.js";
import { openDatabase } from "../store/sqlite/driver.js";

/** How long a change waits for another process's (each holds the lock for milliseconds to seconds). */
const WAIT_MS = 15_000;

/** Locks this process holds now: a change made inside another under the same lock does not wait for itself. */
const held = new Set<string>();

/**
 * Runs `change` while no other process holds the lock at `path`: SQLite's
 * write lock on a file of its own (`BEGIN IMMEDIATE`, waiting up to 15 s).
 * The kernel releases it when its process dies, so a process killed inside
 * leaves nothing to clean up and nothing is guessed from pids or times, as a
 * lock file holding a pid would be. `change` is synchronous: nothing else of
 * this process runs meanwhile.
 */
export function withFileLock<T>(path: string, what: string, change: () => T): T {
  if (held.has(path)) return change();
  mkdirSync(dirname(path), { recursive: true });
  const db = openDatabase(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${WAIT_MS}`);
    try {
      db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      throw new BatonError(
        "conflict",
        `another baton process has held ${what} (${path}) for over ${WAIT_MS / 1000} s`,
        "try again; if it persists, look for a stuck baton process (ps) and end it",
        { cause: (error as Error).message },
      );
    }
    held.add(path);
    try {
      return change();
    } finally {
      held.delete(path);
      db.exec("ROLLBACK");
    }
  } finally {
    db.close();
  }
}
