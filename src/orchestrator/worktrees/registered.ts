import { runGit } from "./git.js";

/** A worktree as `git worktree list` tells it. */
export interface RegisteredWorktree {
  path: string;
  /** The commit checked out; absent in a worktree whose branch has no commit yet. */
  head?: string;
  /** `refs/heads/...`; absent when detached. */
  branch?: string;
  locked: boolean;
  /** Its folder is gone: only git's record of it is left. */
  prunable: boolean;
}

/**
 * Every worktree of the repository, the main checkout first. Read with `-z`,
 * so a path holding a newline stays one path.
 */
export function registeredWorktrees(root: string): RegisteredWorktree[] {
  const fields = runGit(root, ["worktree", "list", "--porcelain", "-z"]).split("\0");
  const found: RegisteredWorktree[] = [];
  let current: RegisteredWorktree | undefined;
  for (const field of fields) {
    if (field === "") {
      current = undefined; // an empty field ends a record
      continue;
    }
    const space = field.indexOf(" ");
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? "" : field.slice(space + 1);
    if (key === "worktree") {
      current = { path: value, locked: false, prunable: false };
      found.push(current);
    } else if (current) {
      if (key === "HEAD") current.head = value;
      else if (key === "branch") current.branch = value;
      else if (key === "locked") current.locked = true;
      else if (key === "prunable") current.prunable = true;
    }
  }
  return found;
}

/** The registered worktree at `path` (a real path), if git knows one there. */
export function registeredAt(root: string, path: string): RegisteredWorktree | undefined {
  return registeredWorktrees(root).find((worktree) => worktree.path === path);
}
