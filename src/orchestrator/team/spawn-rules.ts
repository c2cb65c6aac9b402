import { realpathSync } from "node:fs";
import { basename } from "node:path";
import { hostNotAllowed, type TeamConfig } from "../../domain/team-config.js";
import { BatonError, clip } from "../../errors.js";
import type { Workspace } from "../../services/workspace.js";
import { which } from "../../util/which.js";
import { agentLaunch } from "../hosts/agent-launch.js";
import type { TeamAgent, TeamRecord } from "./team-record.js";

/**
 * What a running team may be grown with, checked before anything is made and
 * again in the reservation: the host or program allowed, room under
 * max_agents, and a name that is no one else's.
 */

/** The program an agent spec runs: a host's name, or a command's program as written (a name or a path). */
function hostWord(spec: string, cli: string): string {
  const launch = agentLaunch(spec, "", cli);
  return launch.host === "command" ? launch.command[0]! : launch.host;
}

/** Agents that count against team.max_agents: every one not stopped (a stop under way still counts). */
export function liveAgents(record: TeamRecord): TeamAgent[] {
  return record.agents.filter((a) => a.stoppedAt === null);
}

/**
 * Whether team.allowed_hosts lets this spec start. A host by its name; a
 * command by its program's name, and a path only when it is the very program
 * that name finds on PATH (a hostile run started /tmp/x/claude, allowed as
 * "claude" by its last word); a known host's name with arguments (`claude
 * --dangerously-skip-permissions`) never: a host starts as baton launches it.
 */
export function checkAllowedHost(spec: string, cli: string, config: TeamConfig): void {
  const word = hostWord(spec, cli);
  if (agentLaunch(spec, "", cli).host === "command") {
    const program = basename(word);
    if (word !== program && !samePathProgram(word, program))
      throw new BatonError(
        "forbidden",
        `${clip(word, 60)} is not the ${program} on PATH: a teammate's program is named, not given by a path`,
        `name the program (${program}) as team.allowed_hosts lists it`,
      );
    if (agentLaunch(program, "", cli).host !== "command")
      throw new BatonError(
        "forbidden",
        `${word} starts as baton launches it, without arguments of its own ("${clip(spec, 60)}")`,
        `start it as "${word}"`,
      );
  }
  const allowed = agentLaunch(spec, "", cli).host === "command" ? basename(word) : word;
  if (!config.allowedHosts.includes(allowed)) throw hostNotAllowed(allowed, config);
}

/** Whether a program given by its path is the one its name finds on PATH (`/usr/bin/node` for `node`). */
function samePathProgram(path: string, name: string): boolean {
  const found = which(name);
  try {
    return found !== undefined && realpathSync(found) === realpathSync(path);
  } catch {
    return false;
  }
}

/** The team's limits, checked before anything is made: the host allowed, room under max_agents. */
export function checkSpawn(record: TeamRecord, config: TeamConfig, host: string): void {
  checkAllowedHost(host, record.cli, config);
  const live = liveAgents(record).length;
  if (live >= config.maxAgents)
    throw new BatonError(
      "conflict",
      `the team has ${live} agents, team.max_agents allows ${config.maxAgents}`,
      {
        cli: `stop one first (baton stop AGENT), or raise "team.max_agents" in .baton/config.json`,
        tool: "stop a teammate first (stop_agent), or ask a human to raise team.max_agents",
      },
    );
}

/**
 * Names a new teammate must not take: the team's humans, and any agent the
 * hub knows that is here and not of this team (someone's own connected
 * Claude Code, another team's agent). A teammate runs as its name, so taking
 * one of these would act as that human (approve, answer) or as that agent
 * (heartbeat its claims, and release them when stopped). A hostile run
 * spawned a simulated agent named after the team's human; it joined as human.
 */
export async function namesInUse(ws: Workspace): Promise<Set<string>> {
  const agents = await ws.agents.list();
  return new Set([
    ...ws.config.humans,
    ...agents.filter((a) => a.kind === "human" || a.leftAt === null).map((a) => a.name),
  ]);
}
