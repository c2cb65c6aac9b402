import { accessSync, constants, existsSync, statfsSync } from "node:fs";
import { dirname } from "node:path";
import { BatonError, environmentError, isBatonError } from "../../errors.js";
import { sqliteCode } from "./driver.js";

/**
 * What a failed SQLite call means for the person running baton. A full disk, a
 * read-only file or disk, a failing disk and a damaged file are the machine's
 * trouble, not a bug in baton: each gets its own code and says what to do. In
 * every case the failed change was rolled back and what was committed before is
 * kept (SQLite's journal guarantees it), so the hints say "run it again".
 *
 * Anything else is returned as it is, for the caller to treat as a bug.
 */
export function storeError(error: unknown, path: string, during: "open" | "use" = "use"): unknown {
  if (isBatonError(error)) return error;
  const code = sqliteCode(error);
  const raw = (error as { code?: unknown }).code;
  // better-sqlite3 gives the extended code (SQLITE_IOERR_WRITE), node:sqlite the primary one.
  const detail = typeof raw === "string" && raw.startsWith("SQLITE_") ? raw : code;
  const folder = dirname(path);
  // SQLite reports a full disk met while growing its -shm file as an I/O error (SQLITE_IOERR_SHMSIZE).
  const full = code === "SQLITE_FULL" || (code === "SQLITE_IOERR" && diskIsFull(folder));
  // A database it cannot open for writing, on a read-only disk or without rights on the folder, is CANTOPEN.
  const readOnly =
    code === "SQLITE_READONLY" ||
    code === "SQLITE_PERM" ||
    (code === "SQLITE_CANTOPEN" && existsSync(path) && !(writable(path) && writable(folder)));
  if (full)
    return new BatonError(
      "store_full",
      `no space left for the database ${path} (${detail}); nothing was changed`,
      `free space on the disk that holds it (df -h ${folder}), then run it again; every change before this one is kept`,
    );
  if (readOnly)
    return new BatonError(
      "store_read_only",
      `the database ${path} is read-only for this process (${detail}); nothing was changed`,
      `SQLite writes the database and its -wal and -shm files beside it: make the file and its folder writable by this user (ls -l ${folder}), or run baton as their owner; a read-only disk must be remounted read-write`,
    );
  switch (code) {
    case "SQLITE_IOERR":
      return new BatonError(
        "store_io",
        `the disk failed while baton used the database ${path} (${detail})`,
        "check the disk (dmesg shows its errors) and that it has space; on a network or removable drive, reconnect it or keep the store on a local disk. What was committed before is kept",
      );
    case "SQLITE_CORRUPT":
    case "SQLITE_NOTADB":
      return new BatonError(
        "store_corrupt",
        `${path} is not a baton database or is damaged (${detail})`,
        `keep the file: move it aside (mv ${path} ${path}.damaged), then restore it from a backup, or salvage what is readable with sqlite3 ${path}.damaged .recover | sqlite3 ${path}; \`baton init\` starts a fresh, empty store`,
      );
    case "SQLITE_CANTOPEN":
      return during === "open"
        ? new BatonError(
            "not_found",
            `cannot open the database ${path} (${detail})`,
            "check the path, and that its folder exists and this user may write there",
          )
        : new BatonError(
            "store_read_only",
            `the files beside the database ${path} cannot be opened (${detail})`,
            `SQLite keeps -wal and -shm files beside the database: make its folder writable by this user (ls -ld ${folder})`,
          );
    default:
      return environmentError(error) ?? error;
  }
}

/** Less than 1 MiB left for this user: SQLite cannot grow its files (a -shm step is 32 KiB, a page 4 KiB). */
function diskIsFull(folder: string): boolean {
  try {
    const disk = statfsSync(folder);
    return disk.bavail * disk.bsize < 1_048_576;
  } catch {
    return false;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
