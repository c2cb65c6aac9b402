import type { Hub } from "../../services/hub.js";
import { sleep } from "../../util/sleep.js";
import { quitOf } from "../hosts/agent-launch.js";
import type { Tmux } from "../tmux/tmux.js";
import { removeTeamRecord, type TeamRecord, writeTeamRecord } from "./team-record.js";

/** How long `baton down` waits for agents to quit on their own before it kills their windows. */
export const GRACE_MS = 10_000;

export interface DownResult {
  session: string | null;
  /** Agents that quit when asked. */
  quit: string[];
  /** Agents still running after the grace period (or at once with --force): killed. */
  killed: string[];
  /** What each agent held and was released: claims and leases, by agent. */
  released: { agent: string; tasks: number; leases: number }[];
}

/**
 * `baton down`: asks every agent to quit the way its host quits (its own quit
 * command, or Ctrl-C), waits up to GRACE_MS for their panes to end, then ends
 * the session (what is left is killed), stops the hub window with it, and
 * releases every claim and lease the agents still hold, so their tasks go back
 * to the queue at once instead of when their leases expire. Worktrees,
 * branches and the database are left as they are: nothing is deleted.
 */
export async function teamDown(
  record: TeamRecord,
  tmux: Tmux,
  hub: Hub,
  options: { force?: boolean; graceMs?: number } = {},
): Promise<DownResult> {
  const session = record.session;
  const livePanes = async () => {
    const live = new Set<string>();
    if (session && (await tmux.hasSession(session)))
      for (const w of await tmux.listWindows(session)) if (!w.dead) live.add(w.paneId);
    return live;
  };
  // Stopped first, in the record the hub's supervisor reads: an agent that quits when asked
  // must not be taken for one that died and be restarted under our feet.
  const now = hub.clock.now();
  writeTeamRecord({ ...record, agents: record.agents.map((a) => ({ ...a, stoppedAt: a.stoppedAt ?? now })) });
  const first = await livePanes();
  const running = record.agents.filter((a) => a.paneId !== null && first.has(a.paneId));
  if (!options.force)
    for (const agent of running) {
      const quit = quitOf(agent.host);
      // An agent that ends between the look and the keys is no reason to stop the others'.
      await ("text" in quit
        ? tmux.sendText(agent.paneId!, quit.text, { submit: true })
        : tmux.sendKeys(agent.paneId!, quit.keys)
      ).catch(() => undefined);
    }
  const grace = options.force ? 0 : (options.graceMs ?? GRACE_MS);
  const deadline = Date.now() + grace;
  let still = running;
  while (still.length > 0 && Date.now() < deadline) {
    await sleep(100);
    const live = await livePanes();
    still = still.filter((a) => live.has(a.paneId!));
  }
  // The agents' windows first, the hub's last: their claims are released through a hub that
  // still runs (ending the session stops the hub, and a request caught in its shutdown is lost).
  for (const agent of still) await tmux.killWindow(agent.paneId!).catch(() => false);
  const released: DownResult["released"] = [];
  for (const agent of record.agents) {
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
  const ended = session !== null && (await tmux.killSession(session));
  removeTeamRecord(record.root);
  return {
    session: ended ? session : null,
    quit: running.filter((a) => !still.includes(a)).map((a) => a.name),
    killed: still.map((a) => a.name),
    released,
  };
}
