import { setTimeout as delay } from "node:timers/promises";
import { shownState } from "../../domain/agent-status.js";
import { CHANGED, type Subscription } from "../../notify/notifier.js";
import type { Hub } from "../../services/hub.js";
import { formatDuration } from "../../util/duration.js";
import { endWindow } from "../team/end-window.js";
import { passedEnv } from "../team/passed-env.js";
import { settleStop } from "../team/stop-agent.js";
import {
  heardSince,
  readTeamRecord,
  type TeamAgent,
  type TeamRecord,
  updateTeamAgent,
} from "../team/team-record.js";
import { TmuxRunner } from "../team/team-runner.js";
import { teamTmux } from "../team/team-tmux.js";
import type { Tmux } from "../tmux/tmux.js";
import { exitWords, type WindowInfo } from "../tmux/window-list.js";
import { dispatchIdle } from "./dispatch.js";
import { restartCommand } from "./restart-command.js";
import { checkHeadlessTeam } from "./supervise-headless.js";
import { recordTeamEvent } from "./team-event.js";

/** Restarts of one agent before baton gives up on it and tells the humans. */
export const MAX_RESTARTS = 1;
export const SUPERVISE_EVERY_MS = 2000;
/**
 * The least time between two looks: a commit (a message, a task, a Stop hook)
 * makes the supervisor look at once, so work reaches an idle agent in well
 * under a second, but a busy team commits many times a second and each look
 * asks tmux (a process) about every window.
 */
export const SUPERVISE_SPACING_MS = 250;

/**
 * The hub's watch over a team started by `baton up`: an agent whose process
 * ended on its own (its pane is dead: the process is gone, a signal that needs
 * no second opinion) is restarted once in the same window and worktree, with
 * its environment; a second death releases what it held (its task goes back to
 * the queue, the attempt counted by the expiry rules) and tells the humans. A
 * host that can resume its conversation does (restart-command.ts). A live agent is treated the same only when two signs agree that it is stuck:
 * no word from it (heartbeat, hook) since it said it was working, and no output
 * in its window, both past hung_after. An
 * agent a human stopped (its window closed, or `baton down`) is never restarted.
 * An idle agent for which work waits is told of it (dispatch.ts).
 */
export async function superviseTeam(
  hub: Hub,
  root: string,
  options: { signal: AbortSignal; everyMs?: number; onError: (error: unknown) => void },
): Promise<void> {
  const nudged = new Map<string, string>();
  // Subscribed only while a team runs: a hub without one keeps no wake-up socket for it.
  let changes: Subscription | undefined;
  const stopped = new Promise<void>((resolve) => options.signal.addEventListener("abort", () => resolve()));
  try {
    while (!options.signal.aborted) {
      const started = Date.now();
      const team = await checkTeam(hub, root, { ...options, nudged }).catch((error) => {
        options.onError(error);
        return true;
      });
      const rest = SUPERVISE_SPACING_MS - (Date.now() - started);
      if (rest > 0) await delay(rest, undefined, { signal: options.signal }).catch(() => undefined);
      // A dead pane is no commit: the interval finds it; a commit comes to the next look at once.
      // Without a team, commits are none of its business: it only looks again now and then.
      const every = options.everyMs ?? SUPERVISE_EVERY_MS;
      if (team) {
        changes ??= await hub.notifier.subscribe([CHANGED]);
        await Promise.race([changes.next(every), stopped]);
      } else {
        changes?.close();
        changes = undefined;
        await delay(every, undefined, { signal: options.signal }).catch(() => undefined);
      }
    }
  } finally {
    changes?.close();
  }
}

/** One look at the team: what died since the last, and what to do about it. False when there is no live team. */
export async function checkTeam(
  hub: Hub,
  root: string,
  options: { onError: (error: unknown) => void; nudged: Map<string, string> },
): Promise<boolean> {
  let record = readTeamRecord(root);
  if (!record) return false;
  if (record.session === null) return checkHeadlessTeam(hub, record, options);
  const tmux = teamTmux(record);
  if (!(await tmux.hasSession(record.session))) return false;
  const runner = new TmuxRunner(tmux, record.session);
  const windows = new Map((await tmux.listWindows(record.session)).map((w) => [w.paneId, w]));
  const rules = { hungAfterMs: hub.config.hungAfterMs, offlineAfterMs: hub.config.offlineAfterMs };
  // Read before this look reports anything in an agent's name: was it heard from since it started?
  const views = new Map((await hub.store.listAgents(rules)).map((view) => [view.name, view]));
  const seen = new Map([...views.values()].map((view) => [view.name, view.lastSeenAt]));
  const heard = (agent: TeamAgent) => heardSince(agent, seen) === true;
  for (const agent of record.agents) {
    if (agent.stoppedAt !== null || agent.paneId === null) continue;
    const window = windows.get(agent.paneId);
    if (agent.stop) {
      // Asked to stop (baton stop, stop_agent): seen through, never restarted.
      await settleStop(hub, root, runner, agent, window?.dead === false);
      continue;
    }
    if (!window) {
      // A human closed the window: that is a stop, not a crash.
      record = updateTeamAgent(root, agent.name, { stoppedAt: hub.clock.now() }) ?? record;
      await recordTeamEvent(
        hub,
        agent.name,
        "team.window_closed",
        `${agent.name}'s window was closed: not restarted`,
        {
          agent: agent.name,
        },
      );
      continue;
    }
    if (!window.dead) {
      const view = views.get(agent.name);
      // Two signs must agree before a live agent is restarted: no word from it (no heartbeat,
      // no hook) since it said it was working, and no output in its window, both past hung_after.
      const quietFor = window.activityAt === undefined ? 0 : hub.clock.now() - window.activityAt;
      // Its current process must have had hung_after to speak (a restarted one has said nothing yet).
      const runningFor = hub.clock.now() - agent.startedAt;
      if (!view || shownState(view) !== "stuck" || quietFor <= hub.config.hungAfterMs) continue;
      if (runningFor <= hub.config.hungAfterMs) continue;
      const said = `stuck: no word from it for ${formatDuration(hub.clock.now() - view.lastSeenAt)} and no output for ${formatDuration(quietFor)}`;
      record = (await restartOrGiveUp(hub, record, tmux, agent, window, said, null, true)) ?? record;
      continue;
    }
    const said = exitWords(window);
    await hub.as(agent.name).agents.reportActivity("exited", "tmux:pane-dead", said).catch(options.onError);
    record =
      (await restartOrGiveUp(
        hub,
        record,
        tmux,
        agent,
        window,
        said,
        window.exitStatus ?? null,
        heard(agent),
      )) ?? record;
  }
  const running = record.agents.filter(
    (a) => a.stoppedAt === null && a.paneId !== null && windows.get(a.paneId)?.dead === false,
  );
  if (running.length > 0) await dispatchIdle(hub, tmux, running, [...views.values()], options.nudged);
  return true;
}

/**
 * Restarts an agent that died or is stuck, once, in the same window and
 * worktree with the same environment (respawn ends a process still there);
 * the next time, gives up on it (see giveUp) and ends what is left of it.
 * Returns the record as changed.
 */
async function restartOrGiveUp(
  hub: Hub,
  record: TeamRecord,
  tmux: Tmux,
  agent: TeamAgent,
  window: WindowInfo,
  said: string,
  exitStatus: number | null,
  heard: boolean,
): Promise<TeamRecord | undefined> {
  const root = record.root;
  if (agent.restarts >= MAX_RESTARTS) {
    const record = updateTeamAgent(root, agent.name, { stoppedAt: hub.clock.now() });
    await endWindow(tmux, window);
    await giveUp(hub, agent, said);
    return record;
  }
  const restart = await restartCommand(hub, record, agent, said, heard);
  // Counted before anything else can fail: a restart that is not recorded would repeat forever.
  // Its new start is when its host's word counts again (status, dispatch, down, this supervisor).
  const changed = updateTeamAgent(root, agent.name, {
    restarts: agent.restarts + 1,
    startedAt: hub.clock.now(),
  });
  await tmux.respawnWindow(agent.paneId!, restart.command, { ...passedEnv(), ...agent.env }, agent.cwd);
  // What it does now its host reports (its command carries a prompt: it starts a turn).
  const how = restart.resumed ? "restarted, resuming its conversation" : "restarted";
  await recordTeamEvent(
    hub,
    agent.name,
    "team.restarted",
    `${agent.name} ${said.startsWith("stuck") ? "was" : "exited"} (${said}); ${how}`,
    {
      agent: agent.name,
      exitStatus,
      reason: said,
      restarts: agent.restarts + 1,
      resumed: restart.resumed,
    },
  );
  return changed;
}

/**
 * An agent that keeps dying: the humans hear of it (an urgent message in the
 * agent's name, so it can be answered and is about that agent); each task it
 * held is failed with the reason, which counts the attempt and puts the task
 * back in the queue while attempts remain; then it leaves the team, which
 * frees its leases. Leaving comes last: a message sent after it would make the
 * agent look present again.
 */
export async function giveUp(hub: Hub, agent: TeamAgent, said: string): Promise<void> {
  const ws = hub.as(agent.name);
  const held = (await ws.tasks.list({ mine: true }).catch(() => []))
    .filter((task) => task.holder === agent.name)
    .map((task) => task.id);
  const text = `${agent.name} exited again (${said}) after ${agent.restarts} restart(s); baton stopped restarting it${
    held.length ? ` and gave back ${held.join(", ")} (an attempt counted)` : ""
  }. Its worktree is kept: ${agent.cwd}. Look with baton attach ${agent.name}.`;
  await recordTeamEvent(hub, agent.name, "team.gave_up", text, {
    agent: agent.name,
    exit: said,
    released: held,
  });
  for (const human of hub.config.humans)
    await ws.messages.send(human, text, { urgent: true, allowUnknown: true }).catch(() => {});
  for (const id of held)
    await ws.tasks
      .fail(id, `${agent.name} kept exiting (${said}); baton stopped restarting it`)
      .catch(() => {});
  await ws.agents.leave().catch(() => undefined);
}
