import type { Hub } from "../../services/hub.js";
import { sleep } from "../../util/sleep.js";
import { quitOf } from "../hosts/agent-launch.js";
import { processRuns, signalProcess } from "./team-process.js";
import {
  heardSince,
  removeTeamRecord,
  type TeamAgent,
  type TeamRecord,
  updateTeamRecord,
} from "./team-record.js";
import { runnerFor, type TeamRunner } from "./team-runner.js";
import { teamTmux } from "./team-tmux.js";

/** How long `baton down` (and a stop) waits for agents to quit on their own before it ends them. */
export const GRACE_MS = 10_000;

export interface DownResult {
  session: string | null;
  /** Agents that quit when asked. */
  quit: string[];
  /** How each agent that quit ended, by name: "status 0" for a clean exit (exitWords), where tmux tells. */
  exits: Record<string, string>;
  /** Agents still running after the grace period (or at once with --force): killed. */
  killed: string[];
  /**
   * Agents whose host had said nothing since it started (still starting, or on
   * a first-run screen such as "trust this folder?"): their windows were closed
   * at once, nothing typed into them. Typing the quit command there would have
   * answered the screen's question for the human: Enter picks its highlighted
   * answer (Codex and Gemini CLI: trust the folder; Claude Code: reject the API key).
   */
  closed: string[];
  /** What each agent held and was released: claims and leases, by agent. */
  released: { agent: string; tasks: number; leases: number }[];
  /** The hub a headless team's `up` started, stopped with it. */
  hubStopped: boolean;
}

/**
 * Asks the agents to quit the way their hosts quit (their own quit command or
 * Ctrl-C in tmux, SIGTERM without a terminal), waits up to `graceMs` for them
 * to end, then ends what still runs. Returns who quit and who was ended.
 */
export async function quitThenEnd(
  runner: TeamRunner,
  agents: readonly TeamAgent[],
  options: { force?: boolean; graceMs?: number },
): Promise<{ quit: TeamAgent[]; killed: TeamAgent[]; exits: Map<string, string> }> {
  const first = await runner.running(agents);
  const running = agents.filter((a) => first.has(a.name));
  if (!options.force) for (const agent of running) await runner.quit(agent);
  const deadline = Date.now() + (options.force ? 0 : (options.graceMs ?? GRACE_MS));
  let still = running;
  while (still.length > 0 && Date.now() < deadline) {
    await sleep(100);
    const live = await runner.running(still);
    still = still.filter((a) => live.has(a.name));
  }
  // How those that quit ended, read before their windows go.
  const exits = await runner.exits(running.filter((a) => !still.includes(a)));
  // Run scripts (dev servers) go with their agents, whether these quit or were ended.
  for (const agent of agents) await runner.end(agent);
  return { quit: running.filter((a) => !still.includes(a)), killed: still, exits };
}

/**
 * `baton down`: every agent asked to quit, ended after GRACE_MS, then the
 * session (or a headless team's hub) is ended, and every claim and lease the
 * agents still hold is released, so their tasks go back to the queue at once
 * instead of when their leases expire. Worktrees, branches and the database
 * are left as they are: nothing is deleted.
 */
export async function teamDown(
  record: TeamRecord,
  hub: Hub,
  options: { force?: boolean; graceMs?: number } = {},
): Promise<DownResult> {
  // Stopped first, in the record the hub's supervisor reads: an agent that quits when asked
  // must not be taken for one that died and be restarted under our feet.
  const now = hub.clock.now();
  // As on disk now: an agent spawned since `record` was read is stopped too.
  const fresh = updateTeamRecord(record.root, (r) => ({
    ...r,
    agents: r.agents.map((a) => ({ ...a, stoppedAt: a.stoppedAt ?? now })),
  }));
  const agents = fresh?.agents ?? record.agents;
  const runner = runnerFor(record);
  // A host not heard from since it started may be showing the human a question: only a quit
  // typed and submitted could answer it (Ctrl-C answers none), so its window is closed instead.
  const rules = { hungAfterMs: hub.config.hungAfterMs, offlineAfterMs: hub.config.offlineAfterMs };
  const seen = await hub.store
    .listAgents(rules)
    .then((views) => new Map(views.map((a) => [a.name, a.lastSeenAt])))
    .catch(() => undefined);
  const quiet = agents.filter(
    (a) =>
      a.paneId !== null && "text" in quitOf(a.host) && seen !== undefined && heardSince(a, seen) === false,
  );
  const live = await runner.running(quiet);
  const closed = quiet.filter((a) => live.has(a.name));
  for (const agent of closed) await runner.end(agent);
  // The agents first, the hub last: their claims are released through a hub that still runs
  // (ending the session stops the hub, and a request caught in its shutdown is lost).
  const { quit, killed, exits } = await quitThenEnd(
    runner,
    agents.filter((a) => !closed.includes(a)),
    options,
  );
  const released: DownResult["released"] = [];
  for (const agent of agents) {
    // An agent that never got as far as joining holds nothing.
    const left = await hub
      .as(agent.name)
      .agents.leave()
      .catch(() => ({ releasedTasks: [], releasedLeases: [] }));
    released.push({
      agent: agent.name,
      tasks: left.releasedTasks.length,
      leases: left.releasedLeases.length,
    });
  }
  const session = record.session;
  const ended = session !== null && (await teamTmux(record).killSession(session));
  const hubStopped = record.hub ? await stopProcess(record.hub, options.force ? 0 : GRACE_MS) : false;
  removeTeamRecord(record.root);
  return {
    session: ended ? session : null,
    quit: quit.map((a) => a.name),
    exits: Object.fromEntries(quit.map((a) => [a.name, exits.get(a.name) ?? "ended"])),
    killed: killed.map((a) => a.name),
    closed: closed.map((a) => a.name),
    released,
    hubStopped,
  };
}

/** SIGTERM, then SIGKILL once `graceMs` passed: whether it was running. */
async function stopProcess(ref: NonNullable<TeamRecord["hub"]>, graceMs: number): Promise<boolean> {
  if (!signalProcess(ref, "SIGTERM")) return false;
  const deadline = Date.now() + graceMs;
  while (processRuns(ref) && Date.now() < deadline) await sleep(100);
  signalProcess(ref, "SIGKILL");
  return true;
}
