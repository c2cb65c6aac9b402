import { join } from "node:path";
import type { WorktreeScript } from "../../domain/team-config.js";
import { planAgentTree, planConnect } from "../../hosts/connect.js";
import { firstRunQuestions } from "../../hosts/first-run.js";
import { writeTextAtomic } from "../../util/write-atomic.js";
import { findTree } from "../../workspace/find-root.js";
import {
  type AgentLaunch,
  agentLaunch,
  agentStem,
  namedByEnvironment,
  simAgentCommand,
} from "../hosts/agent-launch.js";
import { createWorktree } from "../worktrees/create.js";
import { firstPrompt } from "./role-prompt.js";
import type { TeamAgent } from "./team-record.js";

/** One agent to prepare: what it runs (a host name or a command line), its name and role. */
export interface AgentPlan {
  spec: string;
  name: string;
  role: string;
}

/** What every agent of one team shares when it is prepared. */
export interface TeamContext {
  /** The main checkout (where `.baton/` is). */
  root: string;
  /** The team's name (its tmux session's), given to agents as BATON_TEAM. */
  team: string;
  /** A worktree per agent, or every agent in the main checkout. */
  worktrees: boolean;
  /** No terminal: the agent runs baton's headless worker loop (`baton work`) instead of its host's interactive mode. */
  headless: boolean;
  /** The baton CLI script (simulated agents and headless workers run it). */
  cli: string;
  now: number;
  /** Prepares each new worktree before its agent starts (team.setup). */
  setup: WorktreeScript | null;
  /** Extra environment for every agent (tests point hosts at their fake model servers). */
  env?: Record<string, string>;
}

/** What is particular to this agent beyond its plan. */
export interface AgentExtras {
  port: number;
  teamSize: number;
  roleText: string;
  /** Who started it into a running team; null for `baton up`. */
  spawnedBy: string | null;
  /** Said in its first prompt: a task waiting for it (delegate, spawn_agent task). */
  task?: { id: string; title: string };
  /** Changes its launch before it is recorded (fork-session.ts starts it from a copy of a lead's session). */
  adapt?: (launch: AgentLaunch, cwd: string) => AgentLaunch;
}

/** Names agents by what they run, counting per kind past the names already `taken`: claude-1, claude-2, codex-1. */
export function nameAgents(specs: string[], cli: string, taken: ReadonlySet<string>): string[] {
  const used = new Set(taken);
  return specs.map((spec) => {
    const stem = agentStem(agentLaunch(spec, "", cli));
    let k = 1;
    while (used.has(`${stem}-${k}`)) k++;
    used.add(`${stem}-${k}`);
    return `${stem}-${k}`;
  });
}

/**
 * Everything one agent needs before it starts, the same for `baton up` and for
 * a teammate spawned into a running team: its worktree (and the team's setup
 * script run there; a failure stops here, with the script's output), its first
 * prompt, baton's MCP server and hooks in its tree, and its environment. Nothing
 * runs yet: team-runner.ts starts it.
 */
export async function prepareAgent(
  plan: AgentPlan,
  team: TeamContext,
  extras: AgentExtras,
): Promise<TeamAgent> {
  const env = agentEnv(plan, extras.port, team);
  const tree = team.worktrees
    ? await createWorktree(team.root, plan.name, {
        setup: team.setup ? { argv: team.setup.argv, timeoutMs: team.setup.timeoutMs, env } : undefined,
      })
    : undefined;
  const cwd = tree?.path ?? team.root;
  const branch = tree?.branch ?? null;
  // The tree's own launcher dir first on PATH, now that the tree is known.
  env.PATH = `${join(cwd, ".baton", "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`;
  const prompt = firstPrompt({
    name: plan.name,
    role: plan.role,
    cwd,
    branch,
    port: extras.port,
    teamSize: extras.teamSize,
    roleText: extras.roleText,
  });
  let launch = agentLaunch(plan.spec, withTask(prompt, extras.task), team.cli);
  if (extras.adapt) launch = extras.adapt(launch, cwd);
  connectAgent(launch, plan.name, cwd, team.root);
  return {
    name: plan.name,
    host: launch.host,
    command: team.headless ? headlessArgv(plan.spec, team.cli) : launch.command,
    role: plan.role,
    cwd,
    branch,
    port: extras.port,
    env,
    paneId: null,
    process: null,
    runPaneId: null,
    runProcess: null,
    startedAt: team.now,
    // A headless host has no screen to ask anything on.
    firstRun: team.headless
      ? []
      : firstRunQuestions(launch.host, { root: team.root, cwd, env: { ...process.env, ...env } }),
    restarts: 0,
    stoppedAt: null,
    stop: null,
    spawnedBy: extras.spawnedBy,
  };
}

function withTask(prompt: string, task: AgentExtras["task"]): string {
  if (!task) return prompt;
  return `${prompt}\n\nYour first task is ${task.id} "${task.title}", assigned to you: claim it (claim_task ${task.id}).`;
}

/**
 * A headless agent runs baton's worker loop, which runs its host headless on
 * each task (`baton work --agent HOST`); the simulated agent is a loop of its
 * own without a terminal, so it runs as it is.
 */
function headlessArgv(spec: string, cli: string): string[] {
  if (spec === "sim") return simAgentCommand(cli);
  return [process.execPath, cli, "work", "--agent", spec];
}

/** What every agent's process gets: its name, role, team and ports; PATH is set once its tree is known. */
function agentEnv(plan: AgentPlan, port: number, team: TeamContext): Record<string, string> {
  // Headless, the agent is baton's own worker: it acts by this name whatever host it runs.
  const named = team.headless || namedByEnvironment(plan.spec);
  return {
    ...team.env,
    ...(named ? { BATON_AGENT: plan.name } : {}),
    BATON_ROLE: plan.role,
    BATON_PORT: String(port),
    BATON_TEAM: team.team,
    PATH: process.env.PATH ?? "/usr/bin:/bin",
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
