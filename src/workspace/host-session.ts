import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeTextAtomic } from "../util/write-atomic.js";

/**
 * The host session an agent's worktree last ran (Claude Code's `session_id`,
 * from its hooks' input), kept beside `baton-agent` in the tree's own git dir:
 * what a lead's `spawn_agent {fork: true}` starts a teammate from (a copy of
 * the lead's conversation, `claude --resume ID --fork-session`).
 */
const FILE = "baton-host-session";

export interface HostSession {
  host: string;
  sessionId: string;
  /** The folder the session ran in: the host keeps its sessions by folder. */
  cwd: string;
}

const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function readHostSession(gitDir: string): HostSession | undefined {
  try {
    const value = JSON.parse(readFileSync(join(gitDir, FILE), "utf8")) as Partial<HostSession>;
    if (
      typeof value.host === "string" &&
      typeof value.sessionId === "string" &&
      typeof value.cwd === "string"
    )
      return { host: value.host, sessionId: value.sessionId, cwd: value.cwd };
  } catch {
    // none recorded, or not readable: as none
  }
  return undefined;
}

/** Records the session from a hook's input; written only when it changed (hooks run on every prompt). */
export function rememberHostSession(
  gitDir: string,
  host: string,
  input: Record<string, unknown>,
  cwd: string,
): void {
  const sessionId = input.session_id;
  if (typeof sessionId !== "string" || !SESSION_ID.test(sessionId)) return;
  const where = typeof input.cwd === "string" && input.cwd ? input.cwd : cwd;
  const before = readHostSession(gitDir);
  if (before?.sessionId === sessionId && before.host === host && before.cwd === where) return;
  writeTextAtomic(join(gitDir, FILE), `${JSON.stringify({ host, sessionId, cwd: where })}\n`);
}
