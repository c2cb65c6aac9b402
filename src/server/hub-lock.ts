import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
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
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
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

function holder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
