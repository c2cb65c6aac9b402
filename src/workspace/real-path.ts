import { dirname, isAbsolute, join, resolve } from "node:path";
import { BatonError } from "../errors.js";
import { fsView } from "./fs-snapshot.js";

/** A path's separators: `/`, and `\` only where the system reads it as one (on POSIX it is a file name's character). */
export const SEPARATOR = process.platform === "win32" ? /[\\/]+/ : /\/+/;

/** The kernel gives up after 40 links (Linux's MAXSYMLINKS); so does baton. */
const MAX_LINKS = 40;

/**
 * Resolves `input` against the folder `base` the way the kernel does: each
 * symlink is followed where it stands, so `link/../x` is the parent of the
 * link's target, not `x` beside the link. A tail that does not exist yet (a
 * file about to be created) is kept as written; a dangling link is followed to
 * where it points. So every path operation (lock, check, unlock, the edit
 * guard) agrees on one file whatever name it was given.
 */
export function resolveReal(base: string, input: string): string {
  const queue = input.split(SEPARATOR);
  // A base that does not exist (a folder a command creates first) is resolved the same way.
  let current = isAbsolute(input)
    ? "/"
    : fsView.exists(base)
      ? fsView.realpath(base)
      : resolveReal("/", resolve(base));
  let links = 0;
  while (queue.length > 0) {
    const segment = queue.shift()!;
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      current = dirname(current);
      continue;
    }
    const next = join(current, segment);
    if (!isSymlink(next)) {
      current = next;
      continue;
    }
    if (++links > MAX_LINKS) {
      throw new BatonError(
        "invalid_input",
        `'${input}' goes round a symlink loop`,
        "fix or remove the looping link, or name the file by its real path",
      );
    }
    const target = fsView.readlink(next);
    if (isAbsolute(target)) current = "/";
    queue.unshift(...target.split(SEPARATOR));
  }
  return current;
}

function isSymlink(path: string): boolean {
  try {
    return fsView.lstat(path).isSymbolicLink();
  } catch {
    return false; // not there (yet): kept as written
  }
}

/** The deepest folder of `path` that exists (a real path). */
export function existingAncestor(path: string): string {
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      if (fsView.lstat(dir).isDirectory()) return fsView.realpath(dir);
    } catch {
      // keep climbing
    }
    if (dirname(dir) === dir) return dir;
  }
}

/** Whether `path` is a folder (links followed); false when it is not there. */
export function isDirectory(path: string): boolean {
  try {
    return fsView.stat(path).isDirectory();
  } catch {
    return false;
  }
}
