import type { Workspace } from "../../services/workspace.js";
import { sleep } from "../../util/sleep.js";
import { askedBy } from "./spawn-agent.js";
import { requestStop, settleStop } from "./stop-agent.js";
import { GRACE_MS } from "./team-down.js";
import { readTeamRecord } from "./team-record.js";
import { runnerFor } from "./team-runner.js";

/** How late the hub's supervisor may be with a step before `baton stop` takes it itself (the hub may not run). */
const HUB_SLACK_MS = 5000;

export interface StopOutcome {
  agent: string;
  deadline: number;
  stopped: boolean;
  /** It left when asked (rather than being ended at the deadline). */
  confirmed: boolean;
  /** What it still held when it was ended, released by baton. */
  released: string[];
}

/**
 * `baton stop`: asks, then (unless told not to wait) waits for the stop to be
 * seen through. The hub's supervisor takes each step as it looks; should it
 * not (no hub runs), this takes them itself once they are overdue.
 */
export async function stopAndWait(
  ws: Workspace,
  root: string,
  name: string,
  options: { reason?: string; timeoutMs?: number; wait: boolean },
): Promise<StopOutcome> {
  const asked = await requestStop(ws.hub, root, name, {
    by: askedBy(ws),
    reason: options.reason,
    timeoutMs: options.timeoutMs,
  });
  const outcome = {
    agent: asked.agent,
    deadline: asked.deadline,
    stopped: false,
    confirmed: false,
    released: [],
  };
  if (!options.wait) return outcome;
  for (;;) {
    const record = readTeamRecord(root);
    const agent = record?.agents.find((a) => a.name === asked.agent);
    if (!record || !agent?.stop) return outcome; // the team went down meanwhile
    if (agent.stoppedAt !== null)
      return {
        ...outcome,
        stopped: true,
        confirmed: agent.stop.confirmed,
        released: await releasedBy(ws, asked.agent),
      };
    const due = agent.stop.quitAt === null ? agent.stop.deadline : agent.stop.quitAt + GRACE_MS;
    const now = ws.hub.clock.now();
    // The supervisor takes each step on its next look; one overdue is taken here.
    if (now > due + HUB_SLACK_MS) {
      const runner = runnerFor(record);
      await settleStop(ws.hub, root, runner, agent, (await runner.running([agent])).has(agent.name));
    }
    await sleep(250);
  }
}

/** What the team.stopped event says baton released for it. */
async function releasedBy(ws: Workspace, agent: string): Promise<string[]> {
  const events = await ws.log.list({ type: "team.stopped", subject: agent, limit: 1 }).catch(() => []);
  const mine = events.at(-1);
  const released = (mine?.data as { released?: unknown } | undefined)?.released;
  return Array.isArray(released) ? released.map(String) : [];
}
