import {
  chmodSync,
  constants,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BATON_DIR } from "../../workspace/config-file.js";
import { readRegularFile } from "../../workspace/regular-file.js";
import { runGit } from "./git.js";

/** The file naming what a new worktree gets copied from the main checkout, as in Claude Code. */
export const INCLUDE_FILE = ".worktreeinclude";
const MAX_INCLUDE_BYTES = 64 * 1024;

export interface IncludedFiles {
  /** Copied into the worktree (repository-relative, `/`-separated). */
  copied: string[];
  /** Already in the worktree: left as they are. */
  kept: string[];
  /** Not copied, and why (a symlink, a folder on the way that is a link ...). */
  skipped: { path: string; why: string }[];
}

/**
 * Copies into a worktree the files `.worktreeinclude` names (gitignore syntax)
 * that git does not track in the main checkout: `.env`, `config/local.json`,
 * what an agent needs to run the project and no commit carries. Tracked files
 * come with the checkout already. Nothing is overwritten (a file there may be
 * the agent's own edit), modes are kept, and only regular files are copied: a
 * symlink is not followed (it could lead out of the repository), and neither is
 * a link among the worktree's folders on the way to the copy.
 *
 * Baton's own `.baton/` is never copied: its database and hub record belong to
 * the main checkout, and a copy would be a second, diverging team.
 */
export function copyIncludedFiles(root: string, worktree: string): IncludedFiles {
  const result: IncludedFiles = { copied: [], kept: [], skipped: [] };
  const patterns = readPatterns(root);
  if (patterns === undefined) return result;
  for (const path of untrackedMatching(root, patterns)) {
    if (path.endsWith("/") || path === BATON_DIR || path.startsWith(`${BATON_DIR}/`)) continue;
    const why = copyOne(root, worktree, path);
    if (why === "copied") result.copied.push(path);
    else if (why === "kept") result.kept.push(path);
    else result.skipped.push({ path, why });
  }
  return result;
}

function readPatterns(root: string): string | undefined {
  try {
    lstatSync(join(root, INCLUDE_FILE));
  } catch {
    return undefined; // no include file: nothing to copy
  }
  return readRegularFile(join(root, INCLUDE_FILE), {
    what: INCLUDE_FILE,
    maxBytes: MAX_INCLUDE_BYTES,
    hint: `make ${INCLUDE_FILE} a plain file of gitignore patterns (e.g. .env), or remove it`,
    noFollow: true,
    inside: root,
  });
}

/**
 * Untracked files of the main checkout (ignored or not) matching the patterns.
 * The patterns go to git from a private copy, so git reads what was checked
 * above, not a file swapped in since.
 */
function untrackedMatching(root: string, patterns: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "baton-include-"));
  try {
    const from = join(dir, "patterns");
    writeFileSync(from, patterns);
    const listed = runGit(root, ["ls-files", "-z", "--others", "--ignored", `--exclude-from=${from}`]);
    return listed.split("\0").filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies one file; says "copied", "kept", or why it was skipped. */
function copyOne(root: string, worktree: string, path: string): string {
  const source = join(root, path);
  let mode: number;
  try {
    const stat = lstatSync(source);
    if (stat.isSymbolicLink()) return "a symlink: not followed";
    if (!stat.isFile()) return "not a regular file";
    mode = stat.mode & 0o7777;
  } catch {
    return "gone before it was copied";
  }
  const target = join(worktree, path);
  const folders = path.split("/").slice(0, -1);
  for (let i = 1; i <= folders.length; i++) {
    const folder = join(worktree, ...folders.slice(0, i));
    try {
      const stat = lstatSync(folder);
      if (stat.isSymbolicLink()) return `${folders.slice(0, i).join("/")} is a symlink in the worktree`;
      if (!stat.isDirectory()) return `${folders.slice(0, i).join("/")} is not a folder in the worktree`;
    } catch {
      break; // missing from here down: made below, as plain folders
    }
  }
  mkdirSync(dirname(target), { recursive: true });
  try {
    // EXCL: never over a file already there, and never through a link standing in its place.
    copyFileSync(source, target, constants.COPYFILE_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return "kept";
    throw error;
  }
  chmodSync(target, mode);
  return "copied";
}
