import { relative } from "node:path";
import type { TeamConfig } from "../../domain/team-config.js";
import { BatonError } from "../../errors.js";
import { teamSessionName } from "../tmux/session-name.js";
import type { Tmux } from "../tmux/tmux.js";
import { ensureIgnored } from "../worktrees/ignore.js";
import { passedEnv } from "./passed-env.js";
import { freePortBlocks } from "./port-blocks.js";
import { nameAgents, prepareAgent, type TeamContext } from "./prepare-agent.js";
import { DEFAULT_ROLE, roleText } from "./role-prompt.js";
import { LOGS_DIR, teamLogPath } from "./team-paths.js";
import { processRuns, startDetached } from "./team-process.js";
import { readTeamRecord, type TeamAgent, type TeamRecord, writeTeamRecord } from "./team-record.js";
import { ProcessRunner, type TeamRunner, TmuxRunner } from "./team-runner.js";

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
  /** No tmux: each agent a background process running baton's worker loop. */
  headless: boolean;
  /** `--port-base`, overriding team.port_base. */
  portBase?: number;
  /** The config's team section (ports, limits, setup and run scripts). */
  team: TeamConfig;
  /** The baton CLI script this process runs (the simulated agent and the hub run it too). */
  cli: string;
  now: number;
  /** Extra environment for every agent (tests point hosts at their fake model servers). */
  env?: Record<string, string>;
  /** Whether a hub already serves this repository (a headless team then starts none of its own). */
  hubRuns?: () => Promise<boolean>;
  say?: (line: string) => void;
}

/**
 * `baton up`: a worktree (its setup run), a port block, host files and a first
 * prompt per agent, then the hub and the agents: one tmux session named for
 * the repository with a window per agent (and per run script) and one for the
 * hub, or with --headless, background processes. Refuses when the repository
 * already has a team. Nothing is started before everything is prepared, so a
 * refusal (a missing role, no free ports, a failing setup) leaves no
 * half-started team.
 */
export async function teamUp(options: UpOptions, tmux: Tmux): Promise<TeamRecord> {
  const say = options.say ?? (() => {});
  const session = teamSessionName(options.root);
  await refuseRunningTeam(options, tmux, session);
  const max = options.team.maxAgents;
  if (!Number.isInteger(options.count) || options.count < 1 || options.count > Math.min(32, max))
    throw new BatonError(
      "usage",
      `-n ${options.count}: a team has 1 to ${Math.min(32, max)} agents${max < 32 ? ` (team.max_agents is ${max})` : ""}`,
      `e.g. baton up -n ${Math.min(2, max)}; raise "team.max_agents" in .baton/config.json for more`,
    );
  const specs = Array.from({ length: options.count }, (_, i) =>
    options.agents.length ? options.agents[i % options.agents.length]! : "claude",
  );
  const roles = options.roles.length ? options.roles : [DEFAULT_ROLE];
  const names = nameAgents(specs, options.cli, new Set());
  const texts = new Map(roles.map((role) => [role, roleText(options.root, role)]));
  const ports = await freePortBlocks(specs.length, options.portBase ?? options.team.portBase, new Set());
  const team: TeamContext = {
    root: options.root,
    team: session,
    worktrees: options.worktrees,
    headless: options.headless,
    cli: options.cli,
    now: options.now,
    setup: options.team.setup,
    env: options.env,
  };
  const agents: TeamAgent[] = [];
  for (const [i, spec] of specs.entries()) {
    const role = roles[i % roles.length]!;
    const agent = await prepareAgent({ spec, name: names[i]!, role }, team, {
      port: ports[i]!,
      teamSize: specs.length,
      roleText: texts.get(role)!,
      spawnedBy: null,
    });
    agents.push(agent);
    const where = agent.branch
      ? `${relative(options.root, agent.cwd)} on ${agent.branch}`
      : "the main checkout";
    say(`${agent.name}: ${where}, ports ${agent.port}-${agent.port + 9}`);
    for (const question of agent.firstRun ?? [])
      say(`${agent.name} waits for you first: ${question}; answer it in baton attach ${agent.name}`);
  }
  const { runner, hub } = options.headless
    ? await startHeadlessHub(options)
    : await startTmuxSession(options, tmux, session, agents.length);
  const started: TeamAgent[] = [];
  for (const agent of agents) started.push(await runner.start(agent, options.team.run));
  const record: TeamRecord = {
    version: 1,
    session: options.headless ? null : session,
    tmuxSocket: options.headless ? null : (tmux.socket ?? null),
    root: options.root,
    createdAt: options.now,
    worktrees: options.worktrees,
    cli: options.cli,
    hub,
    agents: started,
  };
  ensureIgnored(options.root, "team.json", "the team baton up started (.baton/team.json)");
  ensureIgnored(options.root, "team.lock", "the lock of the team's record (.baton/team.lock)");
  writeTeamRecord(record);
  return record;
}

/** One team per repository: a live session, or a headless team whose agents still run, refuses a second. */
async function refuseRunningTeam(options: UpOptions, tmux: Tmux, session: string): Promise<void> {
  const before = readTeamRecord(options.root);
  const headlessRuns =
    before?.session === null && before.agents.some((a) => a.process && processRuns(a.process));
  if (headlessRuns)
    throw new BatonError(
      "conflict",
      "a headless team already runs for this repository",
      "see it with baton status; stop it with baton down",
    );
  if (!options.headless) await tmux.require();
  if ((await tmux.available()) && (await tmux.hasSession(session)))
    throw new BatonError(
      "conflict",
      `a team already runs for this repository (tmux session ${session})`,
      "see it with baton status or baton attach; stop it with baton down",
    );
  if (before) options.say?.(`replacing the record of a team that no longer runs (${session})`);
}

/** The hub first, in window 0: it supervises the agents (restarts one that dies) and serves their MCP calls. */
async function startTmuxSession(
  options: UpOptions,
  tmux: Tmux,
  session: string,
  count: number,
): Promise<{ runner: TeamRunner; hub: null }> {
  await tmux.newSession({
    name: session,
    window: "hub",
    cwd: options.root,
    command: [process.execPath, options.cli, "serve", "--port", "0"],
    env: passedEnv(),
  });
  await tmux.setEnvironment(session, "BATON_PROJECT", options.root);
  await tmux.setEnvironment(session, "BATON_AGENTS", String(count));
  await tmux.setEnvironment(session, "BATON_CREATED", new Date(options.now).toISOString());
  return { runner: new TmuxRunner(tmux, session), hub: null };
}

/**
 * A headless team's hub: `baton serve` in the background (its output in
 * .baton/logs/hub.log), whose supervisor restarts an agent that dies; none
 * when a hub already serves the repository (it supervises the team as well).
 */
async function startHeadlessHub(options: UpOptions): Promise<{ runner: TeamRunner; hub: TeamRecord["hub"] }> {
  ensureIgnored(
    options.root,
    `${LOGS_DIR}/`,
    "the output of a headless team's processes (baton up --headless)",
  );
  if (await options.hubRuns?.()) return { runner: new ProcessRunner(options.root), hub: null };
  const hub = startDetached([process.execPath, options.cli, "serve", "--port", "0", "--no-pair"], {
    cwd: options.root,
    env: { ...process.env, ...passedEnv() } as Record<string, string>,
    log: teamLogPath(options.root, "hub"),
  });
  return { runner: new ProcessRunner(options.root), hub };
}
