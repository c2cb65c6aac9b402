import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { BatonError } from "../errors.js";

/**
 * The workspace root is the repository's main working tree, found through its
 * git common dir: every linked worktree of the repository shares that dir, so
 * every agent in any worktree finds the same hub.
 *
 * The usual layouts are read straight from the file system (a `.git` folder, or a
 * worktree's `.git` file pointing at `<common>/worktrees/<name>`), which saves a
 * `git` process on every command; anything else asks `git rev-parse --git-common-dir`.
 */
export function findRepositoryRoot(cwd: string): string {
  const fast = process.env.GIT_DIR || process.env.GIT_COMMON_DIR ? undefined : readCommonDir(cwd);
  const commonDir = fast ?? askGit(cwd);
  // A bare repository has no working tree; its common dir is the repository itself.
  const root = basename(commonDir) === ".git" ? dirname(commonDir) : commonDir;
  return realpathSync(root);
}

function readCommonDir(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const dotGit = join(dir, ".git");
    if (existsSync(dotGit)) {
      try {
        if (statSync(dotGit).isDirectory()) return dotGit;
        const match = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"));
        if (!match) return undefined;
        const gitDir = resolve(dir, match[1]!.trim());
        const common = join(gitDir, "commondir");
        return existsSync(common) ? resolve(gitDir, readFileSync(common, "utf8").trim()) : gitDir;
      } catch {
        return undefined; // let git decide
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function askGit(cwd: string): string {
  try {
    const out = execFileSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
    return resolve(cwd, out);
  } catch (error) {
    const missingGit = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new BatonError(
      "not_a_repository",
      missingGit ? "git is not installed or not on PATH" : `${cwd} is not inside a git repository`,
      missingGit
        ? "install git; baton finds the workspace through it"
        : "run baton inside the repository your agents work on (git init first if it is new), or pass --store",
    );
  }
}
