import { exitWords } from "../tmux/window-list.js";
import { readTeamRecord, type TeamRecord } from "./team-record.js";
import { teamTmux } from "./team-tmux.js";

/** An orchestrated agent as status shows it: what baton started, and whether its process still runs. */
export interface TeamAgentView {
  name: string;
  host: string;
  role: string;
  branch: string | null;
  cwd: string;
  /** The first of its ten ports: where its dev server is expected (http://127.0.0.1:PORT/). */
  port: number;
  /** running; exited (its pane is dead, the supervisor may restart it); stopped (a human, or baton gave up); gone (its window or the session is no more). */
  process: "running" | "exited" | "stopped" | "gone";
  /** How its last run ended, when it ended. */
  exit: string | null;
  restarts: number;
}

export interface TeamView {
  session: string | null;
  /** False when the record names a session tmux no longer has (the server was stopped). */
  live: boolean;
  createdAt: number;
  agents: TeamAgentView[];
}

/** The team `baton up` started in this repository, looked at in tmux; undefined when there is none. */
export async function teamView(root: string): Promise<TeamView | undefined> {
  const record = readTeamRecord(root);
  if (!record) return undefined;
  return viewOf(record);
}

async function viewOf(record: TeamRecord): Promise<TeamView> {
  const tmux = teamTmux(record);
  const live = record.session !== null && (await tmux.hasSession(record.session).catch(() => false));
  const windows = live ? await tmux.listWindows(record.session!).catch(() => []) : [];
  const panes = new Map(windows.map((w) => [w.paneId, w]));
  return {
    session: record.session,
    live,
    createdAt: record.createdAt,
    agents: record.agents.map((agent) => {
      const pane = agent.paneId ? panes.get(agent.paneId) : undefined;
      const exit = pane?.dead ? exitWords(pane) : null;
      return {
        name: agent.name,
        host: agent.host,
        role: agent.role,
        branch: agent.branch,
        cwd: agent.cwd,
        port: agent.port,
        process: agent.stoppedAt !== null ? "stopped" : !pane ? "gone" : pane.dead ? "exited" : "running",
        exit,
        restarts: agent.restarts,
      };
    }),
  };
}
