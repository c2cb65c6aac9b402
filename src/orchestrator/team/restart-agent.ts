import { BatonError } from "../../errors.js";
import type { Workspace } from "../../services/workspace.js";
import { restartCommand } from "../supervisor/restart-command.js";
import { passedEnv } from "./passed-env.js";
import { heardSince, updateTeamAgent } from "./team-record.js";
import { agentPane } from "./team-terminal.js";

export interface Restarted {
  agent: string;
  /** Its host carries on its last conversation (restart-command.ts); false: it started afresh. */
  resumed: boolean;
}

/**
 * A person restarts an agent of the team (the web app's restart): the
 * supervisor's own path (restartCommand: resume the conversation when its host
 * had started one and can), in the same window and worktree with the same
 * environment; respawn ends whatever still runs there. Not counted against
 * the supervisor's restarts: a person chose it, it is no sign of a crashing
 * agent. An agent stopped, or being stopped, is not restarted: a stop is a
 * person's decision too, and the newer one would silently undo it.
 */
export async function restartAgent(ws: Workspace, name: string): Promise<Restarted> {
  const { record, agent, tmux, window } = await agentPane(ws.root, name);
  if (agent.stoppedAt !== null)
    throw new BatonError(
      "invalid_state",
      `${agent.name} is stopped: it is not restarted`,
      "start a new teammate with baton spawn",
    );
  if (agent.stop)
    throw new BatonError(
      "conflict",
      `${agent.name} is being stopped (asked by ${agent.stop.by})`,
      "wait for the stop to end, then spawn a new teammate",
    );
  const seen = new Map((await ws.agents.list()).map((a) => [a.name, a.lastSeenAt]));
  const said = `restarted by ${ws.identity}`;
  const restart = await restartCommand(ws.hub, record, agent, said, heardSince(agent, seen) === true);
  // Its new start is when its host's word counts again (status, dispatch, the supervisor's stuck check).
  updateTeamAgent(ws.root, agent.name, { startedAt: ws.hub.clock.now() });
  await tmux.respawnWindow(window.paneId, restart.command, { ...passedEnv(), ...agent.env }, agent.cwd);
  const how = restart.resumed ? "resuming its conversation" : "afresh";
  await ws.log.record(
    "team.restarted",
    `${ws.identity} restarted ${agent.name} (${how})`,
    { agent: agent.name, by: ws.identity, reason: said, resumed: restart.resumed, restarts: agent.restarts },
    { subject: agent.name },
  );
  return { agent: agent.name, resumed: restart.resumed };
}
