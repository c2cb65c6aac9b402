import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Writes a file through a temp file beside it and a rename, so a reader (or a
 * host loading its config) never sees half a file, and a crash leaves the old
 * one. A file that exists keeps its mode (a config holding a key stays 0600);
 * `mode` is for a new file.
 */
export function writeTextAtomic(path: string, text: string, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const kept = existingMode(path);
  try {
    writeFileSync(temp, text, { mode: kept ?? mode ?? 0o644 });
    renameSync(temp, path);
  } catch (error) {
    // A full disk or a read-only folder: the old file stays whole; leave no half-written temp beside it.
    try {
      rmSync(temp, { force: true });
    } catch {
      // a read-only folder never had the temp file
    }
    throw error;
  }
}

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}
