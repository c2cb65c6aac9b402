import type { TeamConfig } from "../../domain/team-config.js";
import { BatonError } from "../../errors.js";
import type { Workspace } from "../../services/workspace.js";
import { agentLaunch } from "../hosts/agent-launch.js";
import { recordTeamEvent } from "../supervisor/team-event.js";
import { teamSessionName } from "../tmux/session-name.js";
import { worktreeName } from "../worktrees/paths.js";
import { forkAdapter } from "./fork-session.js";
import { freePortBlocks } from "./port-blocks.js";
import { nameAgents, prepareAgent } from "./prepare-agent.js";
import { DEFAULT_ROLE, roleText } from "./role-prompt.js";
import { checkSpawn, liveAgents, namesInUse } from "./spawn-rules.js";
import { requireTeam } from "./team-lookup.js";
import type { TeamAgent, TeamRecord } from "./team-record.js";
import { updateTeamRecord } from "./team-record.js";
import { runnerFor, TmuxRunner } from "./team-runner.js";
import { teamTmux } from "./team-tmux.js";

export interface SpawnRequest {
  /** What it runs: a host name (claude, sim) or a command line. */
  host: string;
  role?: string;
  /** Its name; default: the host's next free one (claude-3). */
  name?: string;
  /** A task (T-12) assigned to it before it starts, named in its first prompt. */
  task?: string;
  /** Start it from a copy of the caller's Claude Code session (fork-session.ts). */
  fork?: boolean;
  /**
   * Called once its name is reserved and before anything of it exists: makes
   * the task it is spawned for (delegate), which its first prompt then names.
   */
  taskFor?: (name: string) => Promise<{ id: string; title: string }>;
}

/** Who asks, in the record and the events: the caller's name, or `cli` for a person without one. */
export function askedBy(ws: Workspace): string {
  return ws.identity ?? "cli";
}

/**
 * One more agent in the running team, prepared and started exactly as
 * `baton up` prepares and starts each of its own (prepareAgent, the team's
 * runner): its worktree and setup, its port block, its window (or process)
 * and run script. Its name, port and place under max_agents are reserved in
 * team.json first, so two spawns at once never get the same; a failure
 * before it runs gives the place back. Recorded as team.spawned, with who asked.
 */
export async function spawnAgent(ws: Workspace, request: SpawnRequest): Promise<TeamAgent> {
  const root = ws.root;
  const by = askedBy(ws);
  const config = ws.config.team;
  const record = requireTeam(root);
  await requireRunning(record);
  checkSpawn(record, config, request.host);
  const role = request.role ?? DEFAULT_ROLE;
  const text = roleText(root, role);
  const wanted = request.name === undefined ? undefined : worktreeName(request.name);
  const fork = request.fork ? forkAdapter(record, by) : undefined;
  const task = request.task ? await ws.tasks.show(request.task) : undefined;
  if (task && task.status !== "open")
    throw new BatonError(
      "invalid_state",
      `${task.id} is ${task.status}: only an open task can be given to a new agent`,
      "give it an open task, or none",
    );
  // The port is looked for outside the reservation (it listens on ports); the reservation re-checks it is free of the team.
  const inUse = await namesInUse(ws);
  const { name, port } = await reserveWithPort(root, config, request.host, wanted, inUse, by);
  try {
    const given = request.taskFor ? await request.taskFor(name) : task;
    if (task) await ws.tasks.assign(task.id, name, { allowUnknown: true });
    const fresh = requireTeam(root);
    const agent = await prepareAgent(
      { spec: request.host, name, role },
      {
        root,
        team: teamSessionName(root),
        worktrees: fresh.worktrees,
        headless: fresh.session === null,
        cli: fresh.cli,
        now: ws.hub.clock.now(),
        setup: config.setup,
      },
      {
        port,
        teamSize: liveAgents(fresh).length,
        roleText: text,
        spawnedBy: by,
        task: given ? { id: given.id, title: given.title } : undefined,
        adapt: fork,
      },
    );
    const runner = runnerFor(fresh);
    const started = await runner.start(agent, config.run);
    let downMeanwhile = false;
    const after = updateTeamRecord(root, (r) => ({
      ...r,
      agents: r.agents.map((a) => {
        if (a.name !== name) return a;
        // baton down marked its place stopped while it started: it stays stopped.
        if (a.stoppedAt !== null) downMeanwhile = true;
        return downMeanwhile ? a : started;
      }),
    }));
    if (downMeanwhile || !after?.agents.some((a) => a.name === name)) {
      // The team went down meanwhile: what was started for it goes too.
      await runner.end(started);
      throw new BatonError("invalid_state", "the team was stopped while the agent started", {
        cli: "start a team with baton up",
        tool: "the team is not running; a human starts it again with baton up",
      });
    }
    if (runner instanceof TmuxRunner)
      await runner.tmux
        .setEnvironment(runner.session, "BATON_AGENTS", String(liveAgents(after).length))
        .catch(() => undefined);
    await recordTeamEvent(ws.hub, name, "team.spawned", `${by} started ${name} (${started.host}, ${role})`, {
      agent: name,
      host: started.host,
      role,
      by,
      port: started.port,
      ...(given ? { task: given.id } : {}),
      ...(fork ? { fork: true } : {}),
    });
    return started;
  } catch (error) {
    // Nothing of it runs: its place goes back (its worktree, if made, stays for the next try).
    updateTeamRecord(root, (r) => ({
      ...r,
      agents: r.agents.filter((a) => a.name !== name || a.paneId || a.process),
    }));
    throw error;
  }
}

/** A running team: its tmux session is there (a headless team has no session to look for). */
async function requireRunning(record: TeamRecord): Promise<void> {
  if (record.session === null) return;
  if (
    !(await teamTmux(record)
      .hasSession(record.session)
      .catch(() => false))
  )
    throw new BatonError("invalid_state", `the team's tmux session ${record.session} is gone`, {
      cli: "clear it with baton down, then start a team with baton up",
      tool: "the team is not running; a human starts it again with baton up",
    });
}

/**
 * A port block and the reservation together: the port is looked for outside
 * the team's lock (it listens on ports), so two spawns at once may find the
 * same block; the reservation refuses the second, which looks again.
 */
async function reserveWithPort(
  root: string,
  config: TeamConfig,
  host: string,
  wanted: string | undefined,
  inUse: ReadonlySet<string>,
  by: string,
): Promise<{ name: string; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const taken = new Set(requireTeam(root).agents.map((a) => a.port));
    const [port] = await freePortBlocks(1, config.portBase, taken);
    const name = reserve(root, config, host, wanted, inUse, port!, by);
    if (name !== undefined) return { name, port: port! };
    if (attempt >= 20)
      throw new BatonError("conflict", "other agents kept being given the same ports", "try again");
  }
}

/**
 * Takes the name, port and a place under max_agents in team.json, in one
 * read-change-write under the team's lock: an entry with nothing running yet
 * (the supervisor passes over it), replaced once the agent starts. A stopped
 * agent's name may be taken again (its entry is replaced; its worktree and
 * branch are reused). Undefined when another agent was given the port since
 * it was found free.
 */
function reserve(
  root: string,
  config: TeamConfig,
  host: string,
  wanted: string | undefined,
  inUse: ReadonlySet<string>,
  port: number,
  by: string,
): string | undefined {
  let name: string | undefined;
  updateTeamRecord(root, (record) => {
    checkSpawn(record, config, host);
    const live = new Set(liveAgents(record).map((a) => a.name));
    if (wanted && live.has(wanted))
      throw new BatonError(
        "conflict",
        `the team has an agent named ${wanted} already`,
        "pick another name, or leave it out for the next free one",
      );
    const ours = new Set(record.agents.map((a) => a.name));
    if (wanted && inUse.has(wanted) && !ours.has(wanted))
      throw new BatonError(
        "conflict",
        `${wanted} is the name of a human or of an agent outside this team`,
        "pick another name, or leave it out for the next free one",
      );
    if (record.agents.some((a) => a.port === port && a.name !== wanted)) return record;
    name = wanted ?? nameAgents([host], record.cli, new Set([...ours, ...inUse]))[0]!;
    const placeholder: TeamAgent = {
      name,
      host: agentLaunch(host, "", record.cli).host,
      command: [],
      role: "",
      cwd: root,
      branch: null,
      env: {},
      paneId: null,
      process: null,
      runPaneId: null,
      runProcess: null,
      port,
      startedAt: 0,
      restarts: 0,
      stoppedAt: null,
      stop: null,
      spawnedBy: by,
    };
    return { ...record, agents: [...record.agents.filter((a) => a.name !== name), placeholder] };
  });
  return name;
}
