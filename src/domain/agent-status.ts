import type { Agent, AgentStatus } from "./types.js";

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
