import { lstatSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { BatonError, clip } from "../../errors.js";
import { validateAgentName } from "../../services/identity.js";
import { BATON_DIR } from "../../workspace/config-file.js";
import { findTree } from "../../workspace/find-root.js";

/**
 * Where baton keeps its agents' worktrees: `<root>/.baton/worktrees/<NAME>`,
 * each on the branch `baton/<NAME>`. Inside the main checkout, so the repository
 * and its agents' trees move and get deleted together, and every path baton
 * touches for them is one it can check lies in its own folder.
 */
export const WORKTREES_DIR = "worktrees";
export const BRANCH_PREFIX = "baton/";

/**
 * An agent name fit to be a folder and a branch. Agent names are checked on
 * joining; this checks again (a name may come from a file or an old store) and
 * adds what git refuses in a branch name: `..`, a trailing `.` or `.lock`.
 */
export function worktreeName(name: string): string {
  const valid = validateAgentName(name);
  if (valid !== name || valid.includes("..") || valid.endsWith(".") || valid.endsWith(".lock")) {
    throw new BatonError(
      "invalid_input",
      `'${clip(name)}' cannot name a worktree: it would not make a folder and a git branch`,
      "use letters, digits and _ . @ -, no '..', not ending in '.' or '.lock' (e.g. claude-1)",
      { name },
    );
  }
  return valid;
}

/** `<root>/.baton/worktrees`. */
export function worktreesDir(root: string): string {
  return join(root, BATON_DIR, WORKTREES_DIR);
}

/** `<root>/.baton/worktrees/<name>`, for a name checked by worktreeName. */
export function worktreePath(root: string, name: string): string {
  return join(worktreesDir(root), worktreeName(name));
}

/** `.baton/worktrees/<name>`, as commands run from the repository's root write it. */
export function worktreeRelative(name: string): string {
  return `${BATON_DIR}/${WORKTREES_DIR}/${name}`;
}

export function branchOf(name: string): string {
  return `${BRANCH_PREFIX}${name}`;
}

/**
 * The repository's main checkout, as a real path: worktrees are made and
 * removed only from there, so `.baton/worktrees` is always the one folder, not
 * a second one inside an agent's tree.
 */
export function mainRoot(root: string): string {
  const real = realpathSync(root);
  const tree = findTree(real);
  if (tree.gitDir !== tree.commonDir || tree.root !== real) {
    throw new BatonError(
      "invalid_input",
      `${root} is not the main checkout of its repository`,
      "run it from the repository's main checkout, where .baton/ lives",
    );
  }
  return real;
}

/**
 * Refuses `.baton`, `.baton/worktrees` or `.baton/worktrees/<name>` when one is
 * a symlink: removing or writing through it would act on whatever it points at,
 * possibly outside the repository. Not being there is fine (not made yet).
 */
export function refuseLinks(root: string, name: string): void {
  for (const path of [join(root, BATON_DIR), worktreesDir(root), worktreePath(root, name)]) {
    let linked = false;
    try {
      linked = lstatSync(path).isSymbolicLink();
    } catch {
      return; // this one is missing, and so is everything below it
    }
    if (linked) {
      throw new BatonError(
        "outside_workspace",
        `${path} is a symlink: baton only makes and removes worktrees in its own folder, and does not follow links out of it`,
        `remove the link (rm ${path}, which leaves what it points at alone), then run it again`,
        { name, path },
      );
    }
  }
}
