import type { Agent, AgentStatus, AgentView } from "./types.js";

export interface LivenessRules {
  /** Silence after which an agent that holds work is hung. */
  hungAfterMs: number;
  /** Silence after which an agent that holds nothing is offline. */
  offlineAfterMs: number;
}

/**
 * An agent's status is derived, never stored: from how long it has been silent
 * and whether it holds work. A silent agent holding work is the dangerous case
 * (hung), because its claims block others until they expire.
 */
export function agentStatus(
  agent: Agent,
  holds: { claims: number; leases: number },
  now: number,
  rules: LivenessRules,
): AgentStatus {
  if (agent.leftAt !== null) return "offline";
  const silence = silenceOf(agent, now);
  if (holds.claims + holds.leases > 0 && silence > rules.hungAfterMs) return "hung";
  if (holds.claims > 0) return "busy";
  return silence > rules.offlineAfterMs ? "offline" : "idle";
}

/** How long the agent has been silent: since its last heartbeat or command. */
export function silenceOf(agent: Pick<Agent, "lastSeenAt">, now: number): number {
  return now - agent.lastSeenAt;
}

/** What status shows for an agent: its reported activity where a host or supervisor reports one. */
export type ShownState = AgentStatus | "working" | "waiting" | "exited" | "stuck";

/**
 * One state per agent for people, from two kinds of evidence: the liveness
 * baton derives from silence (busy, idle, hung, offline) and the activity its
 * host's hooks or its supervisor report (working, waiting, idle, exited). A
 * reported activity is the sharper of the two, except that a working agent
 * gone silent past hung_after is stuck: its last word was "working" and
 * nothing has come since. An agent that left is offline whatever it last said.
 */
export function shownState(agent: AgentView): ShownState {
  const activity = agent.activity;
  if (!activity || agent.status === "offline") return agent.status;
  if (activity.state === "working" && agent.status === "hung") return "stuck";
  return activity.state;
}
