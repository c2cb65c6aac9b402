import { execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { BatonError } from "../errors.js";

/**
 * The workspace root is the repository's main working tree, found through
 * `git rev-parse --git-common-dir`: every linked worktree of the repository
 * shares that common dir, so every agent in any worktree finds the same hub.
 */
export function findRepositoryRoot(cwd: string): string {
  let commonDir: string;
  try {
    commonDir = execFileSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
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
  const absolute = resolve(cwd, commonDir);
  // A bare repository has no working tree; its common dir is the repository itself.
  const root = basename(absolute) === ".git" ? dirname(absolute) : absolute;
  return realpathSync(root);
}
