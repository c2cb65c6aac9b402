import { lstatSync } from "node:fs";
import { BatonError } from "../../errors.js";
import { mainRoot, refuseLinks, worktreeName, worktreePath } from "./paths.js";
import { type RegisteredWorktree, registeredAt } from "./registered.js";

export interface LocatedWorktree {
  /** The main checkout (a real path). */
  root: string;
  name: string;
  /** `<root>/.baton/worktrees/<name>`. */
  path: string;
  registered: RegisteredWorktree;
}

/**
 * The agent's worktree, checked before anything acts on it: the name makes a
 * path inside `.baton/worktrees`, no folder on the way is a symlink, and git
 * knows a worktree at exactly that path. Anything else there is not baton's.
 */
export function locateWorktree(rootIn: string, nameIn: string): LocatedWorktree {
  const root = mainRoot(rootIn);
  const name = worktreeName(nameIn);
  refuseLinks(root, name);
  const path = worktreePath(root, name);
  const registered = registeredAt(root, path);
  if (registered) return { root, name, path, registered };
  let there = false;
  try {
    there = lstatSync(path) !== undefined;
  } catch {
    // not there
  }
  throw there
    ? new BatonError(
        "conflict",
        `${path} is not a worktree of this repository: baton leaves it alone`,
        "look at what it holds and move or delete it yourself",
        { name, path },
      )
    : new BatonError(
        "not_found",
        `${name} has no worktree (no ${path})`,
        "list them with: git worktree list",
        {
          name,
          path,
        },
      );
}
