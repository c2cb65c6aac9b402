import { exitWords } from "../tmux/window-list.js";
import { processRuns } from "./team-process.js";
import { heardSince, readTeamRecord, type TeamAgent, type TeamRecord } from "./team-record.js";
import { teamTmux } from "./team-tmux.js";

/** An orchestrated agent as status shows it: what baton started, and whether its process still runs. */
export interface TeamAgentView {
  name: string;
  host: string;
  role: string;
  branch: string | null;
  cwd: string;
  /** The first of its ten ports: where its dev server is expected. */
  port: number;
  /** Its dev server's address (http://127.0.0.1:PORT), when the team has a run script; else null. */
  url: string | null;
  /** A headless agent's process id; null in tmux. */
  pid: number | null;
  /** running; exited (its pane is dead, the supervisor may restart it); stopped (a human, or baton gave up); gone (its window or the session is no more). */
  process: "running" | "exited" | "stopped" | "gone";
  /** How its last run ended, when it ended. */
  exit: string | null;
  restarts: number;
  /**
   * Whether its host has said a word to baton (a hook, a tool call) since its
   * process started: until then it is starting, or showing the human a screen
   * of its own (trust this folder?). Null when baton was not told who was seen.
   */
  heard: boolean | null;
  /** What its host asks the human before it can start, while it runs and has said nothing yet (see TeamAgent.firstRun). */
  waitingFor: string[];
}

export interface TeamView {
  /** The tmux session; null for a headless team (its agents are background processes). */
  session: string | null;
  headless: boolean;
  /** False when the record names a session tmux no longer has (the server was stopped), or no process of a headless team runs. */
  live: boolean;
  createdAt: number;
  agents: TeamAgentView[];
}

/**
 * The team `baton up` started in this repository, looked at in tmux; undefined
 * when there is none. `seen`: when each agent was last seen by the hub (its
 * lastSeenAt), to tell an agent whose host has started from one still waiting.
 */
export async function teamView(
  root: string,
  seen?: ReadonlyMap<string, number>,
): Promise<TeamView | undefined> {
  const record = readTeamRecord(root);
  if (!record) return undefined;
  return viewOf(record, seen);
}

async function viewOf(record: TeamRecord, seen?: ReadonlyMap<string, number>): Promise<TeamView> {
  if (record.session === null) return headlessView(record, seen);
  const tmux = teamTmux(record);
  const live = await tmux.hasSession(record.session).catch(() => false);
  const windows = live ? await tmux.listWindows(record.session).catch(() => []) : [];
  const panes = new Map(windows.map((w) => [w.paneId, w]));
  return {
    session: record.session,
    headless: false,
    live,
    createdAt: record.createdAt,
    agents: record.agents.map((agent) => {
      const pane = agent.paneId ? panes.get(agent.paneId) : undefined;
      const exit = pane?.dead ? exitWords(pane) : null;
      const process =
        agent.stoppedAt !== null ? "stopped" : !pane ? "gone" : pane.dead ? "exited" : "running";
      return agentView(agent, process, exit, seen);
    }),
  };
}

/** A headless team: each agent's process runs or not (its pid and start time tell); exited ones are the supervisor's to restart. */
function headlessView(record: TeamRecord, seen?: ReadonlyMap<string, number>): TeamView {
  const agents = record.agents.map((agent) => {
    const runs = agent.process !== null && processRuns(agent.process);
    return agentView(agent, agent.stoppedAt !== null ? "stopped" : runs ? "running" : "exited", null, seen);
  });
  return {
    session: null,
    headless: true,
    live: agents.some((a) => a.process === "running"),
    createdAt: record.createdAt,
    agents,
  };
}

function agentView(
  agent: TeamAgent,
  process: TeamAgentView["process"],
  exit: string | null,
  seen?: ReadonlyMap<string, number>,
): TeamAgentView {
  const runs = agent.runPaneId !== null || agent.runProcess !== null;
  const heard = heardSince(agent, seen);
  return {
    name: agent.name,
    host: agent.host,
    role: agent.role,
    branch: agent.branch,
    cwd: agent.cwd,
    port: agent.port,
    url: runs ? `http://127.0.0.1:${agent.port}` : null,
    pid: agent.process?.pid ?? null,
    process,
    exit,
    restarts: agent.restarts,
    heard,
    waitingFor: process === "running" && heard === false ? (agent.firstRun ?? []) : [],
  };
}
