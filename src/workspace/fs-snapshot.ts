import {
  existsSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  type Stats,
  statSync,
} from "node:fs";

/**
 * One look at the file system per path operation. Locking one path resolves
 * it, finds its tree, resolves every held lease's key again (where it leads
 * now) and counts its hard links: the same folders are asked about over and
 * over (the repository's root, `src`, `.git`), ~90 system calls for one lock
 * and unlock, and a system call costs ~10 µs in these VMs. Inside
 * `withFsSnapshot`, each question about a path is asked once and its answer
 * (or its error) kept until the scope ends.
 *
 * A scope is synchronous on purpose: nothing else runs while it is open, so
 * an answer can only be as old as the operation that asked, which is what the
 * operation saw anyway. Outside a scope every call goes to the file system.
 */
type Answer = { value: unknown } | { error: unknown };

let answers: Map<string, Answer> | undefined;

export function withFsSnapshot<T>(fn: () => T): T {
  if (answers) return fn(); // already inside one: share it
  answers = new Map();
  try {
    return fn();
  } finally {
    answers = undefined;
  }
}

/** `ask()`'s answer for `kind` of `path`, asked once per snapshot (every time outside one). */
export function remembered<T>(kind: string, path: string, ask: () => T): T {
  if (!answers) return ask();
  const key = `${kind}\0${path}`;
  const known = answers.get(key);
  if (known) {
    if ("error" in known) throw known.error;
    return known.value as T;
  }
  try {
    const value = ask();
    answers.set(key, { value });
    return value;
  } catch (error) {
    answers.set(key, { error });
    throw error;
  }
}

/** The file system questions path resolution asks, answered once per snapshot. */
export const fsView = {
  lstat: (path: string): Stats => remembered("lstat", path, () => lstatSync(path)),
  stat: (path: string): Stats => remembered("stat", path, () => statSync(path)),
  realpath: (path: string): string => remembered("realpath", path, () => realpathSync(path)),
  exists: (path: string): boolean => remembered("exists", path, () => existsSync(path)),
  readlink: (path: string): string => remembered("readlink", path, () => readlinkSync(path, "utf8")),
  readText: (path: string): string => remembered("read", path, () => readFileSync(path, "utf8")),
};
