import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BatonError } from "../../errors.js";
import { gitSucceeds, runGit } from "./git.js";
import { locateWorktree } from "./locate.js";
import { worktreeName, worktreeRelative } from "./paths.js";

/**
 * Work-in-progress snapshots of an agent's worktree, kept as commits under
 * `refs/baton/wip/<name>/<time>`: outside branches and tags (nothing pushes or
 * fetches them by default), yet they keep their commits from garbage
 * collection. Delete one with `git update-ref -d <ref>`.
 */
export const WIP_PREFIX = "refs/baton/wip/";

/** How to get a snapshot's files back, as commands to run from the repository's root. */
export interface RestoreCommands {
  /** A new worktree holding the snapshot, beside the others. */
  worktree: string;
  /** Into the current tree (the agent's branch checked out again): every file of the snapshot, staged. */
  here: string;
}

export interface SavedWip {
  name: string;
  ref: string;
  commit: string;
  /** The worktree held work its HEAD does not: staged, unstaged or untracked changes. */
  dirty: boolean;
  /** The commit the worktree had checked out (the snapshot's first parent); null on a branch with no commit. */
  head: string | null;
  restore: RestoreCommands;
}

export interface WipEntry {
  name: string;
  ref: string;
  commit: string;
  /** The UTC stamp of the ref's name: `20261121T220501Z`, `-2` and on for more in the same second. */
  stamp: string;
  restore: RestoreCommands;
}

/** `20261121T220501Z`: sorts as it reads, and names one second in UTC. */
export function wipStamp(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

export function restoreCommands(name: string, ref: string): RestoreCommands {
  return {
    worktree: `git worktree add ${worktreeRelative(`${name}-restored`)} ${ref}`,
    here: `git checkout ${ref} -- .`,
  };
}

/**
 * Saves everything in the agent's worktree as one commit and a ref to it,
 * without touching the worktree, its index or its stash: the files are read
 * through a scratch index (a copy of the worktree's), so an agent at work
 * there sees nothing happen. The commit's tree is the worktree as it is
 * (tracked files as they are on disk, untracked files that are not ignored);
 * its first parent is HEAD and, when something was staged, its second parent is
 * a commit of the index as it was, like `git stash` keeps it. Ignored files
 * (builds, `node_modules`, `.env`) are not kept.
 *
 * A worktree whose folder is gone (git still lists it) has only its HEAD left
 * to name: the ref then points at that.
 */
export function saveWip(rootIn: string, nameIn: string, at: Date): SavedWip {
  const { root, name, path, registered } = locateWorktree(rootIn, nameIn);
  const stamp = wipStamp(at);
  let commit: string;
  let dirty = false;
  let head: string | null;
  if (registered.prunable) {
    head = registered.head ?? null;
    commit = head ?? missingHead(name);
  } else {
    head = tryRevParse(path, "HEAD");
    const trees = snapshotTrees(path);
    const headTree = runGit(
      path,
      head === null ? ["hash-object", "-t", "tree", "/dev/null"] : ["rev-parse", `${head}^{tree}`],
    );
    dirty = trees.worktree !== headTree || trees.index !== headTree;
    const committer = identity(at);
    const parents = head === null ? [] : ["-p", head];
    if (trees.index !== null && trees.index !== headTree) {
      const staged = runGit(
        path,
        ["commit-tree", trees.index, ...parents, "-m", `baton: index of ${name} at ${stamp}`],
        { env: committer },
      );
      parents.push("-p", staged);
    }
    const message = `baton: wip of ${name} at ${stamp}\n\nEvery file of .baton/worktrees/${name} as it was: committed, staged, unstaged and untracked (ignored files are not kept).\nFirst parent: its HEAD; second parent, if any: what was staged.`;
    commit = runGit(path, ["commit-tree", trees.worktree, ...parents, "-m", message], { env: committer });
  }
  const ref = createRef(root, `${WIP_PREFIX}${name}/${stamp}`, commit);
  return { name, ref, commit, dirty, head, restore: restoreCommands(name, ref) };
}

/** Every wip snapshot, or one agent's, oldest first. */
export function listWip(rootIn: string, nameIn?: string): WipEntry[] {
  const prefix = nameIn === undefined ? WIP_PREFIX : `${WIP_PREFIX}${worktreeName(nameIn)}/`;
  const lines = runGit(rootIn, ["for-each-ref", "--format=%(refname)%09%(objectname)", prefix]);
  const entries: { entry: WipEntry; second: string; n: number }[] = [];
  for (const line of lines.split("\n")) {
    const [ref, commit] = line.split("\t");
    const match = ref ? /^refs\/baton\/wip\/([^/]+)\/((\d{8}T\d{6}Z)(?:-(\d+))?)$/.exec(ref) : null;
    if (!ref || !commit || !match) continue; // a ref made by hand, of another shape
    const [, name, stamp, second, n] = match as unknown as [string, string, string, string, string?];
    entries.push({
      entry: { name, ref, commit, stamp, restore: restoreCommands(name, ref) },
      second,
      n: Number(n ?? 1),
    });
  }
  // By name, then time: `-10` after `-9`, which the refs' names alone would not give.
  return entries
    .sort((a, b) => a.entry.name.localeCompare(b.entry.name) || a.second.localeCompare(b.second) || a.n - b.n)
    .map(({ entry }) => entry);
}

/**
 * The tree of the worktree's index, and of the worktree itself, read through a
 * scratch copy of the index. An index in the middle of a merge or rebase (with
 * conflicts) makes no tree: then only the worktree's is kept, conflict
 * markers and all.
 */
function snapshotTrees(path: string): { index: string | null; worktree: string } {
  const real = runGit(path, ["rev-parse", "--path-format=absolute", "--git-path", "index"]);
  const dir = mkdtempSync(join(tmpdir(), "baton-wip-"));
  try {
    const scratch = join(dir, "index");
    try {
      copyFileSync(real, scratch);
    } catch {
      // no index yet: git starts an empty one
    }
    const env = { GIT_INDEX_FILE: scratch };
    let index: string | null = null;
    try {
      index = runGit(path, ["write-tree"], { env });
    } catch {
      // unmerged entries: git cannot write the index as a tree
    }
    runGit(path, ["add", "-A"], { env });
    const worktree = runGit(path, ["write-tree"], { env });
    return { index, worktree };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Creates the ref only if it does not exist yet (git checks and writes it
 * under its lock), so two saves in the same second, even from two processes,
 * get two refs: `<stamp>`, then `<stamp>-2`, `<stamp>-3` ...
 */
function createRef(root: string, base: string, commit: string): string {
  for (let n = 1; ; n++) {
    const ref = n === 1 ? base : `${base}-${n}`;
    const create = ["update-ref", "-m", "baton: wip", ref, commit, ""];
    if (gitSucceeds(root, create)) return ref;
    // Taken: try the next; anything else (a full disk, a locked ref) is git's to say.
    if (n >= 1000 || !gitSucceeds(root, ["rev-parse", "--verify", "-q", ref])) {
      runGit(root, create);
      return ref;
    }
  }
}

/** Who made a wip commit, and when: baton, at the time the caller gave (an injectable clock). */
function identity(at: Date): Record<string, string> {
  const date = `${Math.floor(at.getTime() / 1000)} +0000`;
  return {
    GIT_AUTHOR_NAME: "baton",
    GIT_AUTHOR_EMAIL: "baton@localhost",
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: "baton",
    GIT_COMMITTER_EMAIL: "baton@localhost",
    GIT_COMMITTER_DATE: date,
  };
}

function tryRevParse(cwd: string, rev: string): string | null {
  try {
    return runGit(cwd, ["rev-parse", "--verify", "-q", rev]);
  } catch {
    return null;
  }
}

function missingHead(name: string): never {
  throw new BatonError(
    "invalid_state",
    `the worktree of ${name} is gone and git recorded no commit for it: there is nothing to save`,
    `forget it with: git worktree prune`,
    { name },
  );
}
