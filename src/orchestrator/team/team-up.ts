import { join, relative } from "node:path";
import { BatonError } from "../../errors.js";
import { planAgentTree, planConnect } from "../../hosts/connect.js";
import { writeTextAtomic } from "../../util/write-atomic.js";
import { findTree } from "../../workspace/find-root.js";
import { type AgentLaunch, agentLaunch, agentStem } from "../hosts/agent-launch.js";
import { teamSessionName } from "../tmux/session-name.js";
import type { Tmux } from "../tmux/tmux.js";
import { createWorktree } from "../worktrees/create.js";
import { ensureIgnored } from "../worktrees/ignore.js";
import { passedEnv } from "./passed-env.js";
import { freePortBlocks } from "./port-blocks.js";
import { DEFAULT_ROLE, firstPrompt, roleText } from "./role-prompt.js";
import { readTeamRecord, type TeamAgent, type TeamRecord, writeTeamRecord } from "./team-record.js";

export interface UpOptions {
  /** The main checkout (where `.baton/` is). */
  root: string;
  count: number;
  /** What each agent runs, cycled over the team: host names or command lines. */
  agents: string[];
  /** Roles, cycled likewise (default: developer). */
  roles: string[];
  /** A worktree per agent (default) or every agent in the main checkout. */
  worktrees: boolean;
  portBase: number;
  /** The baton CLI script this process runs (the simulated agent and the hub window run it too). */
  cli: string;
  now: number;
  /** Extra environment for every agent (tests point hosts at their fake model servers). */
  env?: Record<string, string>;
  say?: (line: string) => void;
}

interface Planned {
  launch: AgentLaunch;
  name: string;
  role: string;
}

/** Names agents by what they run, counting per kind: claude-1, claude-2, codex-1. */
function planAgents(options: UpOptions): Planned[] {
  if (!Number.isInteger(options.count) || options.count < 1 || options.count > 32)
    throw new BatonError("usage", `-n ${options.count}: a team has 1 to 32 agents`, "e.g. baton up -n 4");
  const specs = options.agents.length ? options.agents : ["claude"];
  const roles = options.roles.length ? options.roles : [DEFAULT_ROLE];
  const counts = new Map<string, number>();
  return Array.from({ length: options.count }, (_, i) => {
    // The prompt is made once the worktree and port are known; the launch is planned again then.
    const launch = agentLaunch(specs[i % specs.length]!, "", options.cli);
    const stem = agentStem(launch);
    const k = (counts.get(stem) ?? 0) + 1;
    counts.set(stem, k);
    return { launch, name: `${stem}-${k}`, role: roles[i % roles.length]! };
  });
}

/**
 * `baton up`: a worktree, a port block, host files and a first prompt per
 * agent, then one tmux session named for the repository with a window per
 * agent and one for the hub. Refuses when the repository already has a team.
 * Nothing is started before everything is prepared, so a refusal (a missing
 * role, no free ports) leaves no half-started team.
 */
export async function teamUp(options: UpOptions, tmux: Tmux): Promise<TeamRecord> {
  const say = options.say ?? (() => {});
  const session = teamSessionName(options.root);
  await tmux.require();
  if (await tmux.hasSession(session))
    throw new BatonError(
      "conflict",
      `a team already runs for this repository (tmux session ${session})`,
      "see it with baton status or baton attach; stop it with baton down",
    );
  if (readTeamRecord(options.root)) say(`replacing the record of a team whose session is gone (${session})`);
  const planned = planAgents(options);
  const texts = new Map(planned.map((p) => [p.role, roleText(options.root, p.role)]));
  const ports = await freePortBlocks(planned.length, options.portBase, new Set());
  const agents: TeamAgent[] = [];
  for (const [i, p] of planned.entries()) {
    const tree = options.worktrees ? await createWorktree(options.root, p.name) : undefined;
    const cwd = tree?.path ?? options.root;
    const branch = tree?.branch ?? null;
    const prompt = firstPrompt({
      name: p.name,
      role: p.role,
      cwd,
      branch,
      port: ports[i]!,
      teamSize: planned.length,
      roleText: texts.get(p.role)!,
    });
    const launch = p.launch.host === "command" ? p.launch : agentLaunch(p.launch.host, prompt, options.cli);
    connectAgent(launch, p.name, cwd, options.root);
    const port = ports[i]!;
    const agent: TeamAgent = {
      name: p.name,
      host: launch.host,
      command: launch.command,
      role: p.role,
      cwd,
      branch,
      port,
      paneId: null,
      env: agentEnv({ name: p.name, role: p.role, cwd, port }, session, options),
      startedAt: options.now,
      restarts: 0,
      stoppedAt: null,
    };
    agents.push(agent);
    const where = branch ? `${relative(options.root, cwd)} on ${branch}` : "the main checkout";
    say(`${p.name}: ${where}, ports ${agent.port}-${agent.port + 9}`);
  }
  const hubCommand = [process.execPath, options.cli, "serve", "--port", "0"];
  // The hub first: it supervises the agents (restarts one that dies) and serves their MCP calls.
  const passed = passedEnv();
  await tmux.newSession({
    name: session,
    window: "hub",
    cwd: options.root,
    command: hubCommand,
    env: passed,
  });
  await tmux.setEnvironment(session, "BATON_PROJECT", options.root);
  await tmux.setEnvironment(session, "BATON_AGENTS", String(agents.length));
  await tmux.setEnvironment(session, "BATON_CREATED", new Date(options.now).toISOString());
  for (const agent of agents) {
    const ids = await tmux.newWindow({
      session,
      name: agent.name,
      cwd: agent.cwd,
      command: agent.command,
      env: { ...passed, ...agent.env },
    });
    agent.paneId = ids.paneId;
  }
  const record: TeamRecord = {
    version: 1,
    session,
    tmuxSocket: tmux.socket ?? null,
    root: options.root,
    createdAt: options.now,
    agents,
  };
  ensureIgnored(options.root, "team.json", "the team baton up started (.baton/team.json)");
  writeTeamRecord(record);
  return record;
}

/** What every agent's process gets: its name, its ports, and `.baton/bin` first on PATH (the launcher). */
function agentEnv(
  agent: Pick<TeamAgent, "name" | "role" | "cwd" | "port">,
  session: string,
  options: UpOptions,
): Record<string, string> {
  return {
    ...options.env,
    BATON_AGENT: agent.name,
    BATON_ROLE: agent.role,
    BATON_PORT: String(agent.port),
    BATON_TEAM: session,
    PATH: `${join(agent.cwd, ".baton", "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
  };
}

/**
 * The agent's tree gets what `baton connect` writes: its name in the tree's git
 * dir, the launcher, and for a known host its MCP server and hooks. A command
 * baton does not know gets the name and launcher only.
 */
function connectAgent(launch: AgentLaunch, name: string, cwd: string, root: string): void {
  const tree = findTree(cwd);
  const options = { tree, hubRoot: root, agent: name, scope: "project" as const };
  const files = launch.connect ? planConnect(launch.connect, options).files : planAgentTree(options);
  for (const change of files)
    if (change.after !== change.before) writeTextAtomic(change.path, change.after, change.mode);
}
