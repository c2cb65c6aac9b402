import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { BatonError } from "../../errors.js";
import { findTree } from "../../workspace/find-root.js";
import { readHostSession } from "../../workspace/host-session.js";
import type { AgentLaunch } from "../hosts/agent-launch.js";
import type { TeamRecord } from "./team-record.js";

/**
 * Claude Code keeps each session as `<config>/projects/<folder>/<id>.jsonl`,
 * where <folder> is the session's working folder with every character but a
 * letter or digit made `-`, and `--resume ID` looks for it under the folder it
 * is started in. A teammate works in its own worktree, so the lead's session
 * file is copied under the teammate's folder first; `--fork-session` then
 * makes a new session from it (the lead's own goes on untouched).
 */
export function claudeProjectDir(configDir: string, cwd: string): string {
  return join(configDir, "projects", cwd.replace(/[^A-Za-z0-9]/g, "-"));
}

/** Where Claude Code keeps its files for this environment: CLAUDE_CONFIG_DIR, else ~/.claude. */
function claudeConfigDir(env: NodeJS.ProcessEnv): string {
  return env.CLAUDE_CONFIG_DIR || join(env.HOME || homedir(), ".claude");
}

/**
 * What turns a new teammate's launch into one that starts from a copy of the
 * lead's Claude Code session (`spawn_agent {fork: true}`): the lead must be a
 * Claude Code agent of this team whose hooks have told baton its session id.
 * Checked before anything is made; the copy happens once the teammate's
 * worktree exists.
 */
export function forkAdapter(
  record: TeamRecord,
  lead: string,
): (launch: AgentLaunch, cwd: string) => AgentLaunch {
  const me = record.agents.find((a) => a.name === lead);
  if (me?.host !== "claude")
    throw new BatonError(
      "unsupported",
      `fork starts a teammate from a Claude Code lead's session, and ${lead} is ${me ? `a ${me.host} agent` : "not an agent of the team"}`,
      "spawn it without fork: it starts from its role's first prompt",
    );
  const session = readHostSession(findTree(me.cwd).gitDir);
  if (session?.host !== "claude")
    throw new BatonError(
      "not_found",
      `baton has not seen ${lead}'s Claude Code session id yet (its hooks report it on each prompt)`,
      "spawn without fork, or try again after your next prompt",
    );
  const configDir = claudeConfigDir(process.env);
  const source = join(claudeProjectDir(configDir, session.cwd), `${session.sessionId}.jsonl`);
  if (!existsSync(source))
    throw new BatonError(
      "not_found",
      `${lead}'s session file is not at ${source}`,
      "spawn without fork (Claude Code may keep its sessions elsewhere: CLAUDE_CONFIG_DIR)",
    );
  return (launch, cwd) => {
    if (launch.host !== "claude")
      throw new BatonError(
        "unsupported",
        `only a Claude Code teammate can start from a Claude Code session, not ${launch.host}`,
        "spawn host claude with fork, or drop fork",
      );
    const target = claudeProjectDir(configDir, cwd);
    mkdirSync(target, { recursive: true });
    copyFileSync(source, join(target, `${session.sessionId}.jsonl`));
    const [program, ...rest] = launch.command;
    return { ...launch, command: [program!, "--resume", session.sessionId, "--fork-session", ...rest] };
  };
}
