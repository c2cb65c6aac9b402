import { existsSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { isGlob } from "../domain/lease-pattern.js";
import { BatonError } from "../errors.js";

const MAX_PATTERN_LENGTH = 1024;

function outside(input: string, root: string, why: string): BatonError {
  return new BatonError(
    "outside_workspace",
    `'${input}' ${why}`,
    `name a path inside the workspace ${root}, relative to where you are or to the root`,
  );
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** Resolves symlinks along the longest prefix of `target` that exists. */
function realpathOfExistingPrefix(target: string): string {
  let existing = target;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = resolve(existing, "..");
    if (parent === existing) break;
    rest.unshift(existing.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
    existing = parent;
  }
  return join(realpathSync(existing), ...rest);
}

/**
 * Turns a path or glob typed by a user or agent into the workspace-relative,
 * slash-separated form stored in leases, refusing anything that resolves
 * outside the workspace: `..` that climbs out, another absolute path, or a
 * symlink that leads out. `root` must itself be a real path.
 */
export function toWorkspacePattern(input: string, root: string, cwd: string): string {
  const text = input.trim();
  if (!text)
    throw new BatonError(
      "invalid_input",
      "an empty path",
      "name a file, directory or glob such as src/**/*.ts",
    );
  if (text.length > MAX_PATTERN_LENGTH || text.includes("\0")) {
    throw new BatonError("invalid_input", "the path is too long or holds a NUL byte", "name a normal path");
  }
  const segments = text.split(/[\\/]+/);
  const firstGlob = segments.findIndex((segment) => isGlob(segment));
  if (firstGlob >= 0 && segments.slice(firstGlob).some((segment) => segment === "..")) {
    throw outside(input, root, "climbs out with '..' after a wildcard");
  }
  if (segments.some((segment) => segment.includes("**") && segment !== "**")) {
    throw new BatonError(
      "invalid_input",
      `bad glob '${input}'`,
      "** must stand alone between slashes, as in src/**/*.ts",
    );
  }
  const staticPart = firstGlob >= 0 ? segments.slice(0, firstGlob).join("/") : text;
  const globPart =
    firstGlob >= 0
      ? segments
          .slice(firstGlob)
          .filter((s) => s !== "." && s !== "")
          .join("/")
      : "";
  const absolute = resolve(cwd, staticPart || ".");
  if (!isInside(root, absolute)) throw outside(input, root, "lies outside the workspace");
  if (!isInside(root, realpathOfExistingPrefix(absolute)))
    throw outside(input, root, "leads outside the workspace through a symlink");
  const rel = relative(root, absolute).split(sep).join("/");
  // A folder (existing, or written with a trailing slash) covers everything below it.
  const folder =
    !globPart && (/[\\/]$/.test(text) || (existsSync(absolute) && statSync(absolute).isDirectory()));
  const pattern = [rel, folder ? "**" : globPart].filter(Boolean).join("/");
  if (pattern === "" || pattern === "." || pattern === "**") {
    throw new BatonError(
      "invalid_input",
      `'${input}' names the whole workspace`,
      "lock the files or folders you will edit, e.g. src/api",
    );
  }
  return pattern;
}

/** An absolute path for a folder the caller names, refused unless it resolves inside the workspace. */
export function toWorkspaceDir(input: string, root: string, cwd: string): string {
  const absolute = resolve(cwd, input);
  if (!isInside(root, absolute)) throw outside(input, root, "lies outside the workspace");
  if (!isInside(root, realpathOfExistingPrefix(absolute)))
    throw outside(input, root, "leads outside the workspace through a symlink");
  if (absolute === root)
    throw new BatonError(
      "invalid_input",
      `'${input}' is the workspace root`,
      "name a folder inside it, e.g. .baton/mirror",
    );
  return absolute;
}
