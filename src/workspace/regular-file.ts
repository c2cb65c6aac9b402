import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from "node:fs";
import { BatonError, isBatonError } from "../errors.js";
import { isInside } from "./workspace-path.js";

export interface ReadOptions {
  /** How the file is named in errors: `the report r.yaml`, `.baton/config.json`. */
  what: string;
  maxBytes: number;
  /** What to do when it cannot be read, for the hint. */
  hint: string;
  /** Refuse a last path component that is a link (the caller resolved and checked the path itself). */
  noFollow?: boolean;
  /** The folder the opened file must still be in (checked on the open file, Linux). */
  inside?: string;
}

/**
 * Reads a file only if it is a regular file of at most `maxBytes`. Opened
 * non-blocking, so a FIFO answers at once instead of hanging the command, and
 * checked on the open descriptor, so /dev/zero, a folder or a socket is refused
 * before anything is read, and a file swapped in meanwhile is not the one read.
 */
export function readRegularFile(path: string, options: ReadOptions): string {
  let fd: number;
  try {
    const flags =
      constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (options.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0);
    fd = openSync(path, flags);
  } catch (error) {
    throw new BatonError(
      "not_found",
      `cannot read ${options.what} (${(error as NodeJS.ErrnoException).code})`,
      options.hint,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new BatonError("invalid_input", `${options.what} is not a regular file`, options.hint);
    if (options.inside !== undefined) {
      const opened = openedPath(fd);
      if (opened !== undefined && !isInside(options.inside, opened))
        throw new BatonError(
          "outside_workspace",
          `${options.what} changed to a file outside the repository while it was read`,
          options.hint,
        );
    }
    if (stat.size > options.maxBytes) {
      throw new BatonError(
        "invalid_input",
        `${options.what} is ${stat.size} bytes; the most read is ${options.maxBytes}`,
        options.hint,
      );
    }
    return readFileSync(fd, "utf8");
  } catch (error) {
    if (isBatonError(error)) throw error;
    throw new BatonError(
      "not_found",
      `cannot read ${options.what} (${(error as NodeJS.ErrnoException).code})`,
      options.hint,
    );
  } finally {
    closeSync(fd);
  }
}

/** Where the kernel says an open file is (Linux); undefined elsewhere. */
function openedPath(fd: number): string | undefined {
  try {
    return realpathSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}
