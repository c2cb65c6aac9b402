import { lstatSync } from "node:fs";
import { join } from "node:path";
import { BatonError, clip } from "../../errors.js";
import { withFileLock } from "../../util/file-lock.js";
import { findTree } from "../../workspace/find-root.js";
import { writeWorktreeAgent } from "../../workspace/worktree-agent.js";
import { gitSucceeds, runGit } from "./git.js";
import { ensureWorktreesIgnored } from "./ignore.js";
import { copyIncludedFiles, type IncludedFiles } from "./include-files.js";
import { branchOf, mainRoot, refuseLinks, worktreeName, worktreePath } from "./paths.js";
import { registeredAt } from "./registered.js";
import { runSetup, type SetupCommand } from "./setup-command.js";

export interface CreateWorktreeOptions {
  /** What a new branch starts from (a commit, tag or branch); default: the main checkout's HEAD. */
  base?: string;
  /** Run in the worktree once it is ready; see runSetup. */
  setup?: SetupCommand;
}

export interface AgentWorktree {
  name: string;
  path: string;
  branch: string;
  /**
   * `created`: a new branch from the base, in a new folder; `checked out`: the
   * agent's existing branch, in a new folder; `reused`: the worktree was there.
   */
  how: "created" | "checked out" | "reused";
  /** The commit checked out. */
  head: string;
  included: IncludedFiles;
  setup?: "ran" | "done before";
}

/** The worktree there already, or one added for the branch (checked out if it exists, else made from the base). */
function findOrAdd(
  root: string,
  name: string,
  path: string,
  branch: string,
  base: string | undefined,
): AgentWorktree["how"] {
  const known = registeredAt(root, path);
  if (known?.prunable) runGit(root, ["worktree", "remove", "--force", path]); // only its record was left
  if (known && !known.prunable) return "reused";
  refuseStranger(path, name);
  if (gitSucceeds(root, ["rev-parse", "--verify", "-q", `refs/heads/${branch}`])) {
    runGit(root, ["worktree", "add", path, branch], {
      code: "conflict",
      hint: `the branch ${branch} is checked out in another worktree (git worktree list): remove that one, or use another agent name`,
    });
    return "checked out";
  }
  runGit(root, ["worktree", "add", "-b", branch, path, startCommit(root, base)]);
  return "created";
}

/**
 * The agent's worktree, `.baton/worktrees/<name>` on `baton/<name>`, made
 * or found again. An existing branch is checked out as it is, never reset to
 * the base: it may hold the agent's commits from an earlier run. The worktree
 * is then marked as the agent's (baton commands run inside it act as it), gets
 * the files `.worktreeinclude` names, and its setup command if one is given.
 */
export async function createWorktree(
  rootIn: string,
  nameIn: string,
  options: CreateWorktreeOptions = {},
): Promise<AgentWorktree> {
  const root = mainRoot(rootIn);
  const name = worktreeName(nameIn);
  refuseLinks(root, name);
  const path = worktreePath(root, name);
  const branch = branchOf(name);
  ensureWorktreesIgnored(root);

  // git's own worktree bookkeeping is not safe from two `worktree add`s at once (a hostile run's
  // six spawns got "failed to read .git/worktrees/sim-3/commondir"): one at a time, per repository,
  // under a lock in git's own folder (never committed, and not an entry of .baton/worktrees).
  const lock = join(findTree(root).commonDir, "baton-worktrees.lock");
  const how = withFileLock(lock, "the worktrees' lock", () =>
    findOrAdd(root, name, path, branch, options.base),
  );
  writeWorktreeAgent(findTree(path).gitDir, name);
  const included = copyIncludedFiles(root, path);
  const setup = options.setup ? await runSetup(path, findTree(path).gitDir, name, options.setup) : undefined;
  const head = runGit(path, ["rev-parse", "HEAD"]);
  return { name, path, branch, how, head, included, ...(setup ? { setup } : {}) };
}

/** A folder at the worktree's place that git does not know as a worktree: someone else's, left alone. */
function refuseStranger(path: string, name: string): void {
  try {
    lstatSync(path);
  } catch {
    return;
  }
  throw new BatonError(
    "conflict",
    `${path} is there but is not a worktree of this repository`,
    `move it away (it may hold someone's files), then run it again; or use another name than ${name}`,
    { name, path },
  );
}

/** The commit `base` names; refused when it names none (`--end-of-options`: a base like `--foo` is a name, not a flag). */
function startCommit(root: string, base = "HEAD"): string {
  try {
    return runGit(root, ["rev-parse", "--verify", "-q", "--end-of-options", `${base}^{commit}`]);
  } catch {
    throw new BatonError(
      "invalid_input",
      `'${clip(base)}' names no commit of this repository`,
      "name a commit, branch or tag of this repository as the base (default: HEAD)",
      { base },
    );
  }
}
