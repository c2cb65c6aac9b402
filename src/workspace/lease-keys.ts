import { isAbsolute, relative, sep } from "node:path";
import { isBatonError } from "../errors.js";
import { fsView } from "./fs-snapshot.js";
import { resolveReal, SEPARATOR } from "./real-path.js";
import { isInside, type PathScope, type PlacedPattern, placePattern } from "./workspace-path.js";

/**
 * A lease is keyed by where its path led when it was granted. The file system
 * moves on: a symlink made since sends the same name elsewhere, a folder
 * becomes a link out of the repository, a loop appears. These helpers give
 * the other names a lease answers to, so that it still conflicts under the
 * name it now leads to, and its holder (or a human) can always release it by
 * the key `locks` shows.
 */

/**
 * The keys a stored or requested key answers to now, besides itself: where it
 * leads in the caller's tree (a symlink made since its grant sends it
 * elsewhere), and, for a name with nothing there yet, everything below it: it
 * may become a folder (`baton lock newdir`, then `mkdir newdir`). Nothing when
 * it leads nowhere the repository can hold (outside, a loop). Keys are
 * repository-relative, so they are resolved from the tree's root, with the
 * same resolution as a fresh lock.
 */
export function keysNow(key: string, scope: PathScope): string[] {
  let now: PlacedPattern;
  try {
    now = placePattern(key, { ...scope, cwd: scope.treeRoot }, { wholeWorkspace: true });
  } catch (error) {
    if (isBatonError(error)) return [];
    throw error;
  }
  const keys = now.kind === "missing" ? [now.pattern, `${now.pattern}/**`] : [now.pattern];
  return keys.filter((other) => other !== key);
}

/**
 * The stored keys a typed path may spell out: from where the caller is, and
 * (from a subfolder) as the root-relative key `locks` shows; each also as a
 * folder's `key/**`. The letters alone decide: a path with `..` spells no key
 * (a stored key never holds one, and `link/..` is not where the letters say).
 */
export function spelledKeys(input: string, scope: PathScope): string[] {
  const segments = input.split(SEPARATOR).filter((segment) => segment !== "" && segment !== ".");
  if (segments.length === 0 || segments.includes("..") || input.includes("\0")) return [];
  const typed = segments.join("/");
  const keys: string[] = [];
  if (isAbsolute(input)) {
    const rel = relative(scope.treeRoot, `/${typed}`);
    if (rel !== "" && isInside(scope.treeRoot, `/${typed}`)) keys.push(rel.split(sep).join("/"));
  } else {
    if (isInside(scope.treeRoot, scope.cwd)) {
      const here = relative(scope.treeRoot, scope.cwd).split(sep).join("/");
      keys.push(here ? `${here}/${typed}` : typed);
    }
    keys.push(typed);
  }
  return [...new Set(keys.flatMap((key) => (key.endsWith("/**") ? [key] : [key, `${key}/**`])))];
}

/**
 * How many names the file a path leads to has, when it is a file with more
 * than one (a hard link): a lease holds one name, and the others are the same
 * file. Finding the others would take a walk of the whole tree on every lock,
 * so baton warns instead. 1 for anything else (a folder, a file not there yet).
 */
export function hardLinkCount(input: string, scope: PathScope): number {
  try {
    const real = resolveReal(scope.cwd, input);
    if (!fsView.lstat(real).isFile()) return 1;
    return fsView.stat(real).nlink;
  } catch {
    return 1;
  }
}
