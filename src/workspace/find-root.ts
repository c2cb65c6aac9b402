import { execFileSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { BatonError } from "../errors.js";
import { fsView, remembered } from "./fs-snapshot.js";

/**
 * One working tree of a repository: the main checkout or a linked worktree.
 * Every tree of a repository shares its git common dir, which is how every
 * agent, in whichever worktree, finds the same hub.
 */
export interface Tree {
  /** The tree's top folder (a real path): where repository-relative paths start. */
  root: string;
  /** The tree's own git dir: `.git` of the main checkout, `<common>/worktrees/<name>` of a linked one. */
  gitDir: string;
  /** The git dir every tree of the repository shares. */
  commonDir: string;
}

/**
 * The tree that holds `start` (a folder). The usual layouts are read straight
 * from the file system (a `.git` folder, or a worktree's `.git` file pointing
 * at `<common>/worktrees/<name>`), which saves a `git` process on every command
 * and every hook call; anything else asks git.
 */
export function findTree(start: string): Tree {
  return remembered("tree", start, () => {
    const fast = process.env.GIT_DIR || process.env.GIT_COMMON_DIR ? undefined : readTree(start);
    return fast ?? askGit(start);
  });
}

/**
 * The repository's main root, where `.baton/` lives: the main working tree (a
 * real path). The main checkout is the tree whose git dir is the common dir
 * (also when that dir is not named `.git`: a submodule's, `--separate-git-dir`).
 * From a linked worktree: the folder holding `.git`, or the work tree the common
 * dir's config names; a bare repository has none, and is its own hub.
 */
export function hubRootOf(tree: Tree): string {
  if (tree.gitDir === tree.commonDir) return tree.root;
  if (basename(tree.commonDir) === ".git") return dirname(tree.commonDir);
  const configured = configuredWorktree(tree.commonDir);
  return configured ?? tree.commonDir;
}

/** `core.worktree` in a git dir's config (submodules record their checkout there). */
function configuredWorktree(commonDir: string): string | undefined {
  try {
    const config = readFileSync(join(commonDir, "config"), "utf8");
    const match = /^\s*worktree\s*=\s*(.+?)\s*$/m.exec(config);
    return match ? realpathSync(resolve(commonDir, match[1]!)) : undefined;
  } catch {
    return undefined;
  }
}

/** The tree that holds `start`, or undefined outside any repository. */
export function tryTree(start: string): Tree | undefined {
  try {
    return findTree(start);
  } catch {
    return undefined;
  }
}

export function findRepositoryRoot(cwd: string): string {
  return hubRootOf(findTree(cwd));
}

/**
 * The tree whose top folder is the nearest one above `start` holding a `.git`
 * entry, read without git; undefined when the layout needs git to decide.
 */
export function readTree(start: string): Tree | undefined {
  for (let dir = fsView.realpath(start); ; dir = dirname(dir)) {
    const dotGit = join(dir, ".git");
    if (fsView.exists(dotGit)) {
      try {
        if (fsView.stat(dotGit).isDirectory()) {
          const gitDir = fsView.realpath(dotGit);
          return { root: dir, gitDir, commonDir: gitDir };
        }
        const match = /^gitdir: (.+)$/m.exec(fsView.readText(dotGit));
        if (!match) return undefined;
        const gitDir = fsView.realpath(resolve(dir, match[1]!.trim()));
        if (!fsView.stat(gitDir).isDirectory()) return undefined; // a gitdir line that names a file: git decides
        const common = join(gitDir, "commondir");
        const commonDir = fsView.exists(common)
          ? fsView.realpath(resolve(gitDir, fsView.readText(common).trim()))
          : gitDir;
        return { root: dir, gitDir, commonDir };
      } catch {
        return undefined; // let git decide
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function askGit(cwd: string): Tree {
  let lines: string[];
  try {
    lines = execFileSync(
      "git",
      ["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir", "--show-toplevel"],
      { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    )
      .trim()
      .split("\n");
  } catch (error) {
    const missingGit = (error as NodeJS.ErrnoException).code === "ENOENT";
    // A bare repository answers the first two and fails on --show-toplevel.
    const bare = !missingGit && tryGit(cwd, ["rev-parse", "--path-format=absolute", "--git-common-dir"]);
    if (bare) {
      const commonDir = realpathSync(resolve(cwd, bare));
      return { root: commonDir, gitDir: commonDir, commonDir };
    }
    throw new BatonError(
      "not_a_repository",
      missingGit ? "git is not installed or not on PATH" : `${cwd} is not inside a git repository`,
      missingGit
        ? "install git; baton finds the workspace through it"
        : "run baton inside the repository your agents work on (git init first if it is new), or pass --store",
    );
  }
  const [gitDir, commonDir, top] = lines.map((line) => realpathSync(resolve(cwd, line)));
  return { root: top!, gitDir: gitDir!, commonDir: commonDir! };
}

function tryGit(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}
