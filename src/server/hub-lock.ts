import { closeSync, linkSync, openSync, readFileSync, writeSync } from "node:fs";
import { BatonError } from "../errors.js";
import { processExists, removeIfPresent } from "../util/processes.js";

/**
 * One hub per store, decided by the file system: `.baton/hub.lock` is created
 * exclusively (O_EXCL) and holds the hub's pid. Checking that no hub answers
 * and then listening left a window in which several `baton serve` started at
 * once all saw none, and each took the socket name from the one before it:
 * several writers, found by a hostile run (2 rounds of 4 had 2–3 hubs). A lock
 * left by a hub killed with -9 names a process that is gone and is taken over.
 */
export function acquireHubLock(path: string): { release(): void } {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      placeLock(path);
      return {
        release: () => {
          if (holder(path) === process.pid) removeIfPresent(path);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = holder(path);
      if (pid !== undefined && processExists(pid)) {
        throw new BatonError(
          "conflict",
          `a hub already runs for this store (pid ${pid})`,
          `use it as it is (every baton command finds it), or stop it first: baton serve --stop (or kill ${pid})`,
          { pid },
        );
      }
      removeIfPresent(path); // its hub is gone
    }
  }
  throw new BatonError(
    "conflict",
    "another hub is starting for this store at the same moment",
    "wait a moment and run baton serve again, or use the hub that started",
  );
}

/**
 * The lock appears with its pid already in it: written to a file of this
 * process's own, then linked into place (link fails if the name exists, as
 * O_EXCL does). Created empty and written after, a rival starting at that
 * moment read no pid, took the lock for a dead hub's and removed it: two hubs
 * (seen in full test runs, one in two).
 */
function placeLock(path: string): void {
  const mine = `${path}.${process.pid}`;
  const fd = openSync(mine, "w", 0o600);
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(mine, path);
  } finally {
    removeIfPresent(mine);
  }
}

function holder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
