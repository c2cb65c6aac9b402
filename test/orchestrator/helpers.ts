import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";
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
