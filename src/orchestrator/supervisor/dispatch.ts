import type { AgentView } from "../../domain/types.js";
import type { Hub } from "../../services/hub.js";
import type { TeamAgent } from "../team/team-record.js";
import type { Tmux } from "../tmux/tmux.js";
import { recordTeamEvent } from "./team-event.js";

/** Hosts that read what is typed into their terminal as the next prompt. */
const PROMPTED_HOSTS = new Set(["claude", "codex", "gemini", "pi", "aider"]);

/** What to tell an idle agent, or undefined when nothing waits for it. */
export function dispatchText(waiting: {
  unread: number;
  assigned: string[];
  ready: string[];
}): string | undefined {
  const parts: string[] = [];
  if (waiting.unread > 0)
    parts.push(
      `you have ${waiting.unread} unread baton message${waiting.unread > 1 ? "s" : ""}: read them first`,
    );
  if (waiting.assigned.length > 0)
    parts.push(
      `${waiting.assigned.join(", ")} ${waiting.assigned.length > 1 ? "are" : "is"} assigned to you: claim it`,
    );
  else if (waiting.ready.length > 0) parts.push(`${waiting.ready[0]} is ready: claim the next task`);
  if (parts.length === 0) return undefined;
  return `baton: ${parts.join("; ")}. Then carry on with the protocol.`;
}

/**
 * Delivers work to idle agents: an agent whose host said its turn ended
 * (Stop: idle) and for which something waits — unread messages, a task
 * assigned to it, a ready task it could claim — gets one line typed into its
 * terminal, which starts its next turn. A busy agent is left alone: what
 * arrives meanwhile waits for its next idle, and nothing is dropped, since the
 * line is made from what is unread when it goes idle. The same news is told
 * once (`nudged` keeps, per agent, what it was last told): an agent that
 * leaves a message unread is not typed at again and again, only when
 * something new arrives.
 */
export async function dispatchIdle(
  hub: Hub,
  tmux: Tmux,
  agents: TeamAgent[],
  views: AgentView[],
  nudged: Map<string, string>,
): Promise<void> {
  const idle = agents.filter((agent) => {
    const view = views.find((v) => v.name === agent.name);
    // Only what its current process said: an "idle" left by an earlier run (a restart, the last
    // `up` of the same name) may stand before a screen where typing would answer a question.
    const said = view?.activity && view.activity.at >= agent.startedAt ? view.activity : undefined;
    return PROMPTED_HOSTS.has(agent.host) && agent.paneId !== null && said?.state === "idle";
  });
  if (idle.length === 0) return;
  const pending = await hub.store.pendingWork({ agents: idle.map((a) => a.name) });
  for (const agent of idle) {
    const mine = pending.find((p) => p.agent === agent.name)!;
    const ready =
      mine.unread === 0 && mine.assigned.length === 0
        ? (await hub.as(agent.name).tasks.list({ ready: true })).map((task) => task.id)
        : [];
    const text = dispatchText({ unread: mine.unread, assigned: mine.assigned, ready });
    const news = `${mine.newest}|${mine.assigned.join(",")}|${ready[0] ?? ""}`;
    if (!text || nudged.get(agent.name) === news) continue;
    nudged.set(agent.name, news);
    await tmux.sendText(agent.paneId!, text, { submit: true });
    await recordTeamEvent(hub, agent.name, "team.dispatched", `${agent.name} was idle: ${text}`, {
      ...mine,
      ready,
    });
  }
}
