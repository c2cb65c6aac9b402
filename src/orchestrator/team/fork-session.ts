import { existsSync } from "node:fs";
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
 * letter or digit made `-`. `--resume ID --fork-session` started in another
 * worktree finds it there and makes a new session from it, the lead's own
 * untouched (Claude Code 2.1.330: test/hosts/claude-fork.hosts.test.ts, which
 * also passes with no copy of the file under the teammate's folder, so none is
 * made).
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
 * Checked before anything is made: the session file must be where Claude
 * Code keeps it.
 */
export function forkAdapter(
  record: TeamRecord,
  lead: string,
  env: NodeJS.ProcessEnv = process.env,
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
  const configDir = claudeConfigDir(env);
  const source = join(claudeProjectDir(configDir, session.cwd), `${session.sessionId}.jsonl`);
  if (!existsSync(source))
    throw new BatonError(
      "not_found",
      `${lead}'s session file is not at ${source}`,
      "spawn without fork (Claude Code may keep its sessions elsewhere: CLAUDE_CONFIG_DIR)",
    );
  return (launch) => {
    if (launch.host !== "claude")
      throw new BatonError(
        "unsupported",
        `only a Claude Code teammate can start from a Claude Code session, not ${launch.host}`,
        "spawn host claude with fork, or drop fork",
      );
    const [program, ...rest] = launch.command;
    return { ...launch, command: [program!, "--resume", session.sessionId, "--fork-session", ...rest] };
  };
}
