import type { Hub } from "../../services/hub.js";
import { settleStop } from "../team/stop-agent.js";
import { type TeamRecord, updateTeamAgent } from "../team/team-record.js";
import { ProcessRunner } from "../team/team-runner.js";
import { giveUp, MAX_RESTARTS } from "./supervise-team.js";
import { recordTeamEvent } from "./team-event.js";

/**
 * One look at a headless team (`baton up --headless`): an agent's process is
 * its pid with the start time baton recorded, so a dead one is a pid that no
 * longer runs that process. It is started again once, as in tmux; the second
 * death gives up on it (supervise-team.ts giveUp). Stops in progress are seen
 * through. True while some agent of the team is not stopped.
 */
export async function checkHeadlessTeam(
  hub: Hub,
  record: TeamRecord,
  options: { onError: (error: unknown) => void },
): Promise<boolean> {
  const runner = new ProcessRunner(record.root);
  const live = await runner.running(record.agents);
  for (const agent of record.agents) {
    // Stopped, or a place reserved for an agent being spawned (nothing runs yet).
    if (agent.stoppedAt !== null || agent.process === null) continue;
    if (agent.stop) {
      await settleStop(hub, record.root, runner, agent, live.has(agent.name));
      continue;
    }
    if (live.has(agent.name)) continue;
    const said = "its process ended";
    await hub.as(agent.name).agents.reportActivity("exited", "process:gone", said).catch(options.onError);
    if (agent.restarts < MAX_RESTARTS) {
      // Counted before it starts: a restart that is not recorded would repeat forever.
      updateTeamAgent(record.root, agent.name, { restarts: agent.restarts + 1 });
      const again = await runner.start(agent, null);
      updateTeamAgent(record.root, agent.name, { process: again.process });
      await hub.as(agent.name).agents.reportActivity("working", "baton:restarted").catch(options.onError);
      await recordTeamEvent(hub, agent.name, "team.restarted", `${agent.name} exited (${said}); restarted`, {
        agent: agent.name,
        pid: again.process?.pid ?? null,
        restarts: agent.restarts + 1,
      });
    } else {
      updateTeamAgent(record.root, agent.name, { stoppedAt: hub.clock.now() });
      await giveUp(hub, agent, said);
    }
  }
  return record.agents.some((a) => a.stoppedAt === null);
}
