import { lstatSync, realpathSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import type { WorktreeDiff } from "../../domain/worktree-diff.js";
import { BatonError } from "../../errors.js";
import { readTeamRecord } from "../team/team-record.js";
import { type CappedOutput, gitCapped } from "./git-capped.js";
import { locateWorktree } from "./locate.js";
import { worktreeRelative } from "./paths.js";

export type { WorktreeDiff };

export interface DiffLimits {
  /** All the text together; 512 kB by default. */
  maxBytes?: number;
  /** For all the git commands together; 10 s by default. */
  timeoutMs?: number;
}

const MAX_BYTES = 512 * 1024;
const TIMEOUT_MS = 10_000;
/** New files shown whole, each by one git process: past these they are only named. */
const UNTRACKED_SHOWN = 50;
/** Plain patches: no colour, no external diff programs or textconv filters a repository's config may name. */
const DIFF = ["diff", "--no-color", "--no-ext-diff", "--no-textconv"];
/** Reading without refreshing the index: an agent may be using it. */
const NO_LOCKS = "--no-optional-locks";

/**
 * The diff of an agent's worktree: what its branch committed since it left the
 * main checkout's HEAD, and what is not committed yet (new files included).
 * The worktree is found by locateWorktree: inside `.baton/worktrees`, no
 * symlink on the way, and known to git as a worktree at exactly that path.
 * Everything is read without optional locks, so git does not rewrite the index
 * under an agent working there; the text is capped and the commands timed out.
 */
export async function worktreeDiff(
  root: string,
  name: string,
  limits: DiffLimits = {},
): Promise<WorktreeDiff> {
  const located = locateWorktree(root, name);
  refuseTeamElsewhere(root, located.name, located.path);
  const path = located.path;
  const deadline = Date.now() + (limits.timeoutMs ?? TIMEOUT_MS);
  let room = limits.maxBytes ?? MAX_BYTES;
  let cut: CappedOutput["cut"] = null;
  const run = async (cwd: string, args: string[], okCodes?: number[]): Promise<string> => {
    if (cut || room <= 0) {
      cut ??= "size";
      return "";
    }
    const out = await gitCapped(cwd, args, { maxBytes: room, deadline, okCodes });
    room -= Buffer.byteLength(out.text);
    cut ??= out.cut;
    return out.text;
  };
  const head = located.registered.head ?? null;
  const target = await firstLine(root, ["rev-parse", "--verify", "-q", "HEAD"], deadline);
  const base = head && target ? await firstLine(root, ["merge-base", target, head], deadline) : null;

  const committed = base && head && base !== head ? await run(path, [...DIFF, base, head, "--"]) : "";
  let uncommitted = head ? await run(path, [NO_LOCKS, ...DIFF, "HEAD", "--"]) : "";
  const untracked = (await run(path, [NO_LOCKS, "ls-files", "--others", "--exclude-standard", "-z"]))
    .split("\0")
    .filter(Boolean);
  const untrackedNotShown: string[] = [];
  for (const [i, file] of untracked.entries()) {
    if (i >= UNTRACKED_SHOWN || cut || !regularFileInside(path, file)) {
      untrackedNotShown.push(file);
      continue;
    }
    // --no-index compares two files outside the index: a new file against nothing. It exits 1 when they differ.
    uncommitted += await run(path, [...DIFF, "--no-index", "--", "/dev/null", file], [1]);
  }
  return {
    agent: located.name,
    worktree: worktreeRelative(located.name),
    branch: located.registered.branch ?? null,
    head,
    base,
    committed,
    uncommitted,
    untrackedNotShown,
    cut:
      cut === "size"
        ? `cut at ${Math.round((limits.maxBytes ?? MAX_BYTES) / 1024)} kB: see the rest with git diff in ${worktreeRelative(located.name)}`
        : cut === "time"
          ? `cut: git took longer than ${Math.round((limits.timeoutMs ?? TIMEOUT_MS) / 1000)} s`
          : null,
  };
}

/** The first line git prints, or null when it fails (no commit yet, unrelated histories). */
async function firstLine(cwd: string, args: string[], deadline: number): Promise<string | null> {
  try {
    const out = await gitCapped(cwd, args, { maxBytes: 4096, deadline });
    return out.text.split("\n")[0]?.trim() || null;
  } catch {
    return null;
  }
}

/**
 * A new file git listed is shown only when it is a plain file whose folder
 * really lies inside the worktree: a symlink (to a file or a folder) could
 * make git read something outside it.
 */
function regularFileInside(worktree: string, file: string): boolean {
  try {
    const full = join(worktree, file);
    if (!lstatSync(full).isFile()) return false;
    const folder = realpathSync(dirname(full));
    const real = realpathSync(worktree);
    return folder === real || folder.startsWith(real + sep);
  } catch {
    return false;
  }
}

/**
 * An agent `baton up` started works where the team record says. When that is
 * not its worktree (`--shared-tree`: the main checkout, mixed with everyone's
 * changes), a worktree of the same name is not where its work is: refused
 * rather than showing something else as its diff.
 */
function refuseTeamElsewhere(root: string, name: string, path: string): void {
  const member = readTeamRecord(root)?.agents.find((agent) => agent.name === name);
  if (!member) return;
  let cwd = member.cwd;
  try {
    cwd = realpathSync(member.cwd);
  } catch {
    // gone: compared as written
  }
  if (cwd === path) return;
  throw new BatonError(
    "outside_workspace",
    `${name} works in ${member.cwd}, not in its worktree ${worktreeRelative(name)}: baton shows only a worktree of its own`,
    "look at the changes there with git status and git diff",
    { name, cwd: member.cwd },
  );
}
