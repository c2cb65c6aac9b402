import { quitOf } from "../hosts/agent-launch.js";
import type { Tmux } from "../tmux/tmux.js";
import { exitWords } from "../tmux/window-list.js";
import { endWindow, sessionPanes } from "./end-window.js";
import { passedEnv } from "./passed-env.js";
import { teamLogPath } from "./team-paths.js";
import { processRuns, signalProcess, startDetached } from "./team-process.js";
import type { TeamAgent, TeamRecord } from "./team-record.js";
import { teamTmux } from "./team-tmux.js";

/** How one agent's processes are started, looked at, asked to quit and ended: in tmux windows or as background processes. */
export interface TeamRunner {
  /** Starts the agent, and the team's run script beside it when there is one; returns the agent with where they run. */
  start(agent: TeamAgent, run: string[] | null): Promise<TeamAgent>;
  /** The agents (by name) whose own process still runs. */
  running(agents: readonly TeamAgent[]): Promise<Set<string>>;
  /** Asks the agent to end the way its host ends (its quit command or keys; SIGTERM without a terminal). */
  quit(agent: TeamAgent): Promise<void>;
  /** How each of these agents' processes ended, in words (exitWords), where the runner can tell. */
  exits(agents: readonly TeamAgent[]): Promise<Map<string, string>>;
  /** Ends the agent and its run script, whatever they are doing. */
  end(agent: TeamAgent): Promise<void>;
}

/** The window of an agent's run script: its name and `.run` (tmux window names take no `:`). */
export function runWindowName(agent: string): string {
  return `${agent}.run`;
}

/** An agent in the team's tmux session: a window each, remain-on-exit, so a dead one can be read and restarted. */
export class TmuxRunner implements TeamRunner {
  constructor(
    readonly tmux: Tmux,
    readonly session: string,
  ) {}

  async start(agent: TeamAgent, run: string[] | null): Promise<TeamAgent> {
    const env = { ...passedEnv(), ...agent.env };
    const ids = await this.tmux.newWindow({
      session: this.session,
      name: agent.name,
      cwd: agent.cwd,
      command: agent.command,
      env,
    });
    const runIds = run
      ? await this.tmux.newWindow({
          session: this.session,
          name: runWindowName(agent.name),
          cwd: agent.cwd,
          command: run,
          env,
        })
      : undefined;
    return { ...agent, paneId: ids.paneId, runPaneId: runIds?.paneId ?? null };
  }

  async running(agents: readonly TeamAgent[]): Promise<Set<string>> {
    const live = new Set<string>();
    const panes = await sessionPanes(this.tmux, this.session);
    for (const agent of agents)
      if (agent.paneId && panes.get(agent.paneId)?.dead === false) live.add(agent.name);
    return live;
  }

  /**
   * Pane ids are the tmux server's, and a server started anew (a reboot)
   * hands the same %N to other sessions' windows: a hostile run's `baton down`
   * of a team whose server had restarted closed four windows of the user's
   * own session. So keys and kills go only to panes of the team's session.
   */
  async quit(agent: TeamAgent): Promise<void> {
    const pane = agent.paneId ? (await sessionPanes(this.tmux, this.session)).get(agent.paneId) : undefined;
    if (!pane || pane.dead) return;
    const quit = quitOf(agent.host);
    // An agent that ends between the look and the keys is no reason to fail.
    await ("text" in quit
      ? this.tmux.sendText(pane.paneId, quit.text, { submit: true })
      : this.tmux.sendKeys(pane.paneId, quit.keys)
    ).catch(() => undefined);
  }

  async exits(agents: readonly TeamAgent[]): Promise<Map<string, string>> {
    const words = new Map<string, string>();
    if (!(await this.tmux.hasSession(this.session))) return words;
    const panes = new Map(
      (await this.tmux.listWindows(this.session).catch(() => [])).map((w) => [w.paneId, w]),
    );
    for (const agent of agents) {
      const pane = agent.paneId ? panes.get(agent.paneId) : undefined;
      if (pane?.dead) words.set(agent.name, exitWords(pane));
    }
    return words;
  }

  async end(agent: TeamAgent): Promise<void> {
    const panes = await sessionPanes(this.tmux, this.session);
    for (const id of [agent.paneId, agent.runPaneId]) {
      const pane = id ? panes.get(id) : undefined;
      if (pane) await endWindow(this.tmux, pane);
    }
  }
}

/** A headless agent: a background process of its own group, its output in .baton/logs/NAME.log. */
export class ProcessRunner implements TeamRunner {
  constructor(readonly root: string) {}

  async start(agent: TeamAgent, run: string[] | null): Promise<TeamAgent> {
    const env = { ...process.env, ...passedEnv(), ...agent.env } as Record<string, string>;
    const started = startDetached(agent.command, {
      cwd: agent.cwd,
      env,
      log: teamLogPath(this.root, agent.name),
    });
    const runStarted = run
      ? startDetached(run, { cwd: agent.cwd, env, log: teamLogPath(this.root, runWindowName(agent.name)) })
      : null;
    return { ...agent, process: started, runProcess: runStarted };
  }

  async running(agents: readonly TeamAgent[]): Promise<Set<string>> {
    return new Set(agents.filter((a) => a.process && processRuns(a.process)).map((a) => a.name));
  }

  async quit(agent: TeamAgent): Promise<void> {
    for (const ref of [agent.process, agent.runProcess]) if (ref) signalProcess(ref, "SIGTERM");
  }

  async exits(): Promise<Map<string, string>> {
    // A detached process's exit status goes to nobody: its log tells what happened.
    return new Map();
  }

  async end(agent: TeamAgent): Promise<void> {
    for (const ref of [agent.process, agent.runProcess]) if (ref) signalProcess(ref, "SIGKILL");
  }
}

/** The runner of the team the record describes: tmux when it has a session, processes when headless. */
export function runnerFor(record: TeamRecord): TeamRunner {
  return record.session ? new TmuxRunner(teamTmux(record), record.session) : new ProcessRunner(record.root);
}
