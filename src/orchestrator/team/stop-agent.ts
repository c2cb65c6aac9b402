import { BatonError, clip } from "../../errors.js";
import type { Hub } from "../../services/hub.js";
import { recordTeamEvent } from "../supervisor/team-event.js";
import { stopRequestText } from "./stop-request.js";
import { GRACE_MS } from "./team-down.js";
import { findTeamAgent, requireTeam } from "./team-lookup.js";
import {
  type StopRequest,
  type TeamAgent,
  updateTeamAgent,
  updateTeamRecord,
  withAgent,
} from "./team-record.js";
import type { TeamRunner } from "./team-runner.js";

export const DEFAULT_STOP_TIMEOUT_MS = 60_000;
export const STOP_TIMEOUT_BOUNDS_S = { min: 0, max: 3600 } as const;

export interface StopRequested {
  agent: string;
  deadline: number;
  /** The message that carried the request. */
  message: string;
}

/**
 * Asks an agent of the team to stop: a message it reads (its inbox; an idle
 * interactive host is told of it by the supervisor), recorded in team.json so
 * the hub's supervisor sees it through (settleStop) and never restarts it,
 * and a team.stop_requested event naming who asked.
 */
export async function requestStop(
  hub: Hub,
  root: string,
  name: string,
  options: { by: string; reason?: string; timeoutMs?: number },
): Promise<StopRequested> {
  const at = hub.clock.now();
  const stop: StopRequest = {
    at,
    by: options.by,
    reason: options.reason ? clip(options.reason, 500) : null,
    deadline: at + (options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS),
    quitAt: null,
    confirmed: false,
  };
  // Checked and recorded in one change under the team's lock: of two stops at once, the second
  // finds the first. Recorded before the agent can read it: one that leaves at once finds it waiting.
  const record = updateTeamRecord(root, (current) => {
    const asked = findTeamAgent(current, name);
    refuseStop(asked, options.by);
    return withAgent(current, asked.name, { stop });
  });
  const agent = findTeamAgent(record ?? requireTeam(root), name);
  const text = stopRequestText(stop);
  // From whoever asked; a person with no name at the command line has the agent's own inbox say it.
  const sender = options.by === "cli" ? agent.name : options.by;
  const sent = await hub
    .as(sender)
    .messages.send(agent.name, text, { urgent: true, allowUnknown: true })
    .catch((error) => {
      updateTeamAgent(root, agent.name, { stop: null });
      throw error;
    });
  await recordTeamEvent(hub, agent.name, "team.stop_requested", `${options.by} asked ${agent.name} to stop`, {
    agent: agent.name,
    by: options.by,
    reason: stop.reason,
    deadline: stop.deadline,
    message: sent.message.id,
  });
  return { agent: agent.name, deadline: stop.deadline, message: sent.message.id };
}

/** Why this agent cannot be asked to stop now, if it cannot. */
function refuseStop(agent: TeamAgent, by: string): void {
  if (agent.stoppedAt !== null)
    throw new BatonError("invalid_state", `${agent.name} is stopped already`, {
      cli: `see the team with baton status; start a new teammate with baton spawn`,
      tool: "start a new teammate with spawn_agent if you need one",
    });
  if (agent.stop)
    throw new BatonError(
      "conflict",
      `${agent.name} is being stopped already (asked by ${agent.stop.by}); it ends by ${new Date(agent.stop.deadline).toISOString()}`,
      "wait for it: its window is ended at that time at the latest",
    );
  if (agent.paneId === null && agent.process === null)
    throw new BatonError(
      "conflict",
      `${agent.name} is still being started`,
      "ask again once it runs (baton status shows it)",
    );
  if (by === agent.name)
    throw new BatonError("usage", "an agent does not stop itself through baton's stop", {
      cli: "leave the team with baton agent leave and exit",
      tool: "call leave_team, which releases what you hold, and end your session",
    });
}

/**
 * One step of a stop in progress, taken by whoever looks (the hub's
 * supervisor on each look, or `baton stop` while it waits): once the agent
 * left the team (or its process ended), or the deadline passed, its host is
 * asked to quit; once it ended, or GRACE_MS after that, its window (or
 * process) and run script are ended, what it still holds is released, and it
 * is marked stopped, so nothing restarts it. Returns whether it is stopped.
 */
export async function settleStop(
  hub: Hub,
  root: string,
  runner: TeamRunner,
  agent: TeamAgent,
  running: boolean,
): Promise<boolean> {
  const stop = agent.stop;
  if (!stop || agent.stoppedAt !== null) return agent.stoppedAt !== null;
  const now = hub.clock.now();
  if (stop.quitAt === null) {
    const me = (await hub.as(agent.name).agents.list()).find((a) => a.name === agent.name);
    // Confirmed by leave_team, or by leaving any other way since it was asked.
    const left = stop.confirmed || (me?.leftAt != null && me.leftAt >= stop.at);
    if (running && !left && now < stop.deadline) return false;
    const quitAt = now;
    updateTeamAgent(root, agent.name, { stop: { ...stop, quitAt, confirmed: left || !running } });
    if (running) {
      await runner.quit(agent);
      return false;
    }
    return finishStop(hub, root, runner, { ...agent, stop: { ...stop, quitAt, confirmed: true } });
  }
  if (running && now < stop.quitAt + GRACE_MS) return false;
  return finishStop(hub, root, runner, agent);
}

async function finishStop(hub: Hub, root: string, runner: TeamRunner, agent: TeamAgent): Promise<boolean> {
  const stop = agent.stop!;
  await runner.end(agent);
  const left = await hub
    .as(agent.name)
    .agents.leave()
    .catch(() => ({ releasedTasks: [] as string[], releasedLeases: [] as string[] }));
  const how = stop.confirmed ? "left when asked" : "did not leave in time: its session was ended";
  await recordTeamEvent(hub, agent.name, "team.stopped", `${agent.name} stopped (${how})`, {
    agent: agent.name,
    by: stop.by,
    reason: stop.reason,
    confirmed: stop.confirmed,
    released: [...left.releasedTasks, ...left.releasedLeases],
  });
  // Marked last, once all is done (whoever waits for the stop reads the event next): a stop under
  // way is never restarted by the supervisor anyway.
  updateTeamAgent(root, agent.name, { stoppedAt: hub.clock.now() });
  return true;
}

/**
 * The agent confirms a stop it was asked for (leave_team): kept in the record,
 * since a host that makes another call after leaving is seen again, which
 * clears its having left. Nothing to confirm without a stop under way.
 */
export function confirmStop(root: string, name: string): boolean {
  let confirmed = false;
  updateTeamRecord(root, (record) => ({
    ...record,
    agents: record.agents.map((a) => {
      if (a.name !== name || !a.stop || a.stoppedAt !== null) return a;
      confirmed = true;
      return { ...a, stop: { ...a.stop, confirmed: true } };
    }),
  }));
  return confirmed;
}
