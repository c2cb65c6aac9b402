import { dirname, isAbsolute, relative, sep } from "node:path";
import { coversWholeWorkspace, isGlob } from "../domain/lease-pattern.js";
import { BatonError, isBatonError } from "../errors.js";
import { findTree } from "./find-root.js";
import { fsView } from "./fs-snapshot.js";
import { existingAncestor, resolveReal, SEPARATOR } from "./real-path.js";

const MAX_PATTERN_LENGTH = 1024;

/** Where a path typed by a user or agent is resolved from, and which repository it must stay in. */
export interface PathScope {
  /**
   * The git common dir of the repository: every tree sharing it is inside the
   * workspace. Undefined for a store opened outside any repository (--store),
   * where the tree root alone bounds the workspace.
   */
  commonDir: string | undefined;
  /** The tree the command runs in (named in errors). */
  treeRoot: string;
  /** Where relative paths start. */
  cwd: string;
}

function outside(input: string, scope: PathScope, why: string): BatonError {
  return new BatonError(
    "outside_workspace",
    `'${input}' ${why}`,
    `name a path inside the repository (this worktree is ${scope.treeRoot}), relative to where you are or to its root`,
  );
}

/** Whether `target` is `root` or below it (both already resolved). A name that starts with `..` (`..cache`) is inside. */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** A real path inside one of the repository's trees, as that tree's root and the slash-separated path below it. */
export interface RepoPath {
  treeRoot: string;
  /** Relative to the tree's root: the same file has the same key in every worktree. */
  rel: string;
}

/**
 * Places a real absolute path in the repository: the tree that holds it (the
 * nearest folder above it with a `.git` entry) must share the repository's
 * common dir, so a file of any worktree counts, and a file of another
 * repository, a submodule or the world outside does not.
 */
export function placeInRepository(real: string, input: string, scope: PathScope): RepoPath {
  let treeRoot = scope.treeRoot;
  if (scope.commonDir === undefined) {
    if (!isInside(treeRoot, real)) throw outside(input, scope, "lies outside the workspace");
    return { treeRoot, rel: relative(treeRoot, real).split(sep).join("/") };
  }
  try {
    const tree = findTree(existingAncestor(real));
    if (tree.commonDir !== scope.commonDir) throw outside(input, scope, "belongs to another repository");
    treeRoot = tree.root;
  } catch (error) {
    if (isBatonError(error) && error.code === "outside_workspace") throw error;
    throw outside(input, scope, "lies outside the repository");
  }
  if (!isInside(treeRoot, real)) throw outside(input, scope, "lies outside the repository");
  return { treeRoot, rel: relative(treeRoot, real).split(sep).join("/") };
}

export interface PatternOptions {
  /**
   * Let a pattern cover the whole workspace (the root, `*`, `**`, `**\/*`):
   * a human holding the tree during a release or a rebase. Checking and
   * releasing may always name it; locking needs it said on purpose.
   */
  wholeWorkspace?: boolean;
}

/** The key of a lease on the whole workspace. */
export const WHOLE_WORKSPACE = "**";

/** A lease pattern, and what its path named when it was placed. */
export interface PlacedPattern {
  pattern: string;
  /** `missing`: nothing there yet, a file or a folder to be; `glob`: a pattern with wildcards. */
  kind: "file" | "folder" | "missing" | "glob";
}

/**
 * Turns a path or glob typed by a user or agent into the repository-relative,
 * slash-separated form stored in leases. The part before any wildcard is
 * resolved as the kernel would, symlinks included (`resolveReal`, the one
 * resolution every path operation uses), so two names of one file give one
 * key, and `src/a.ts` in one worktree is `src/a.ts` in every other. Anything
 * that resolves outside the repository's trees is refused.
 */
export function toWorkspacePattern(input: string, scope: PathScope, options: PatternOptions = {}): string {
  return placePattern(input, scope, options).pattern;
}

/** `toWorkspacePattern`, also telling what the path names. */
export function placePattern(input: string, scope: PathScope, options: PatternOptions = {}): PlacedPattern {
  // Kept as typed: `"a.ts "` and `a.ts` are two files, as for the edit guard and the file system.
  const text = input;
  if (!text.trim())
    throw new BatonError(
      "invalid_input",
      "an empty path",
      "name a file, directory or glob such as src/**/*.ts",
    );
  if (text.length > MAX_PATTERN_LENGTH || text.includes("\0")) {
    throw new BatonError("invalid_input", "the path is too long or holds a NUL byte", "name a normal path");
  }
  const segments = text.split(SEPARATOR);
  const firstGlob = segments.findIndex((segment) => isGlob(segment));
  if (firstGlob >= 0 && segments.slice(firstGlob).some((segment) => segment === "..")) {
    throw outside(input, scope, "climbs out with '..' after a wildcard");
  }
  if (segments.some((segment) => segment.includes("**") && segment !== "**")) {
    throw new BatonError(
      "invalid_input",
      `bad glob '${input}'`,
      "** must stand alone between slashes, as in src/**/*.ts",
    );
  }
  // `/*.ts` is the file system's root, not here.
  const staticPart =
    firstGlob >= 0 ? segments.slice(0, firstGlob).join("/") || (isAbsolute(text) ? "/" : "") : text;
  const globPart =
    firstGlob >= 0
      ? segments
          .slice(firstGlob)
          .filter((s) => s !== "." && s !== "")
          .join("/")
      : "";
  const real = resolveReal(scope.cwd, staticPart || ".");
  const { rel } = placeInRepository(real, input, scope);
  const file = fileAbove(real);
  if (file !== undefined) {
    throw new BatonError(
      "invalid_input",
      `'${input}' lies below ${relative(scope.treeRoot, file) || file}, which is a file`,
      "name the file itself, or a path in a folder",
    );
  }
  const found = kindOf(real);
  // A folder (existing, or written with a trailing slash) covers everything below it.
  const slashed = /\/$/.test(text);
  if (!globPart && slashed && found === "file") {
    throw new BatonError(
      "invalid_input",
      `'${input}' names a file as a folder`,
      "drop the trailing slash to lock the file",
    );
  }
  const folder = !globPart && (slashed || found === "folder");
  const pattern = [rel, folder ? "**" : globPart].filter(Boolean).join("/");
  if (pattern === "" || coversWholeWorkspace(pattern)) {
    if (!options.wholeWorkspace)
      throw new BatonError(
        "invalid_input",
        `'${input}' ${pattern === rel ? "names" : "covers"} the whole workspace`,
        {
          cli: "lock the files or folders you will edit, e.g. src/api; to hold every file on purpose (a release, a rebase), add --whole-workspace",
          tool: "lock the files or folders you will edit, e.g. src/api; holding the whole workspace would stop every other agent",
        },
      );
    return { pattern: pattern || WHOLE_WORKSPACE, kind: "glob" };
  }
  return { pattern, kind: globPart ? "glob" : folder ? "folder" : found };
}

/** What is at a real path: a folder, a file (anything else that is not a folder), or nothing yet. */
function kindOf(real: string): "file" | "folder" | "missing" {
  try {
    return fsView.stat(real).isDirectory() ? "folder" : "file";
  } catch {
    return "missing";
  }
}

/** The nearest existing ancestor of a real path, when it is not a folder: nothing can be created below it. */
function fileAbove(real: string): string | undefined {
  for (let dir = dirname(real); dir !== dirname(dir); dir = dirname(dir)) {
    const kind = kindOf(dir);
    if (kind === "folder") return undefined;
    if (kind === "file") return dir;
  }
  return undefined;
}

/** A file a host is about to edit, as its repository-relative path; undefined when it is not in the repository. */
export function repositoryFile(file: string, scope: PathScope): RepoPath | undefined {
  try {
    return placeInRepository(resolveReal(scope.cwd, file), file, scope);
  } catch (error) {
    if (isBatonError(error) && error.code === "outside_workspace") return undefined;
    throw error;
  }
}

/** A real absolute path for a folder or file the caller names, refused unless it resolves inside the repository. */
export function toWorkspaceDir(input: string, scope: PathScope, hubRoot: string): string {
  const real = resolveReal(scope.cwd, input);
  placeInRepository(real, input, scope);
  if (real === hubRoot || real === scope.treeRoot)
    throw new BatonError(
      "invalid_input",
      `'${input}' is the workspace root`,
      "name a file or folder inside it",
    );
  return real;
}
