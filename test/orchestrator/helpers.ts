import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { createWorktree } from "../../src/orchestrator/worktrees/create.js";
import { git } from "../helpers/temp-repo.js";

/** Commits everything staged (or `-a`) in `cwd` under a throwaway identity; returns the new commit. */
export function commit(cwd: string, message: string, ...flags: string[]): string {
  git(cwd, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", ...flags, "-m", message);
  return git(cwd, "rev-parse", "HEAD");
}

/** Writes a file (making its folders) under `root`. */
export function write(root: string, path: string, text: string, mode?: number): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text, mode === undefined ? undefined : { mode });
}

/** The error `fn` throws (sync or async), failing the test when it throws nothing. */
export async function thrown(
  fn: () => unknown,
): Promise<{ code: string; message: string; hint: string; details?: Record<string, unknown> }> {
  try {
    await fn();
  } catch (error) {
    return error as { code: string; message: string; hint: string; details?: Record<string, unknown> };
  }
  expect.fail("expected it to throw");
}

/** What an agent did in its worktree: `file` as the main checkout has it, as the agent committed it, as it left it, and a new file. */
export interface AgentWork {
  file: string;
  base: string;
  committed: string;
  uncommitted: string;
  added: { path: string; text: string };
}

/**
 * `work.file` committed in the repository, then the agent's worktree made as
 * baton up makes it (.baton/worktrees/NAME on baton/NAME), with one commit
 * of its own and changes not committed yet; returns the worktree's path.
 */
export async function agentWorktree(repo: string, agent: string, work: AgentWork): Promise<string> {
  write(repo, work.file, work.base);
  git(repo, "add", work.file);
  commit(repo, `add ${work.file}`);
  const { path } = await createWorktree(repo, agent);
  write(path, work.file, work.committed);
  commit(path, `change ${work.file}`, "-a");
  write(path, work.file, work.uncommitted);
  write(path, work.added.path, work.added.text);
  return path;
}
