import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeTextAtomic } from "../util/write-atomic.js";

/**
 * The agent a worktree belongs to, kept in the tree's own git dir
 * (`.git/baton-agent`, or `.git/worktrees/<name>/baton-agent` for a linked
 * worktree): git never commits it, `git clean` never removes it, and every
 * worktree has its own. So several agents of one host each get their name in
 * their own worktree, without a name in any committed file, and an agent whose
 * every command runs in a fresh shell (pi) keeps its name.
 */
const FILE = "baton-agent";

export function worktreeAgentFile(gitDir: string): string {
  return join(gitDir, FILE);
}

/** The name recorded for this worktree, if any (an unreadable or empty file counts as none). */
export function readWorktreeAgent(gitDir: string): string | undefined {
  try {
    const name = readFileSync(worktreeAgentFile(gitDir), "utf8").trim();
    return name || undefined;
  } catch {
    return undefined;
  }
}

export function writeWorktreeAgent(gitDir: string, name: string): void {
  writeTextAtomic(worktreeAgentFile(gitDir), `${name}\n`);
}

export function clearWorktreeAgent(gitDir: string): void {
  rmSync(worktreeAgentFile(gitDir), { force: true });
}

/** Every worktree of the repository that has an agent recorded: the main checkout's and each linked one's. */
export function recordedAgents(commonDir: string): { gitDir: string; name: string }[] {
  let linked: string[] = [];
  try {
    linked = readdirSync(join(commonDir, "worktrees")).map((name) => join(commonDir, "worktrees", name));
  } catch {
    // no linked worktrees
  }
  return [commonDir, ...linked].flatMap((gitDir) => {
    const name = readWorktreeAgent(gitDir);
    return name ? [{ gitDir, name }] : [];
  });
}
