import { runGit } from "./git.js";

/**
 * Paths with uncommitted changes in a worktree, as `git status` reports them:
 * staged, unstaged and untracked (ignored files are not work); a rename gives
 * both its paths. Without optional locks: status would otherwise refresh and
 * rewrite the worktree's index, under an agent that may be using it.
 */
export function uncommittedPaths(path: string): string[] {
  const fields = runGit(path, [
    "--no-optional-locks",
    "status",
    "--porcelain=v1",
    "-z",
    "--untracked-files=all",
  ]).split("\0");
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (field.length < 4) continue;
    paths.push(field.slice(3));
    // A rename's or copy's old path follows: changed too, for who-touched-what.
    if (field[0] === "R" || field[0] === "C") paths.push(fields[++i] ?? "");
  }
  return paths.filter(Boolean);
}
