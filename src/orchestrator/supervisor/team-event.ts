import type { Hub } from "../../services/hub.js";

/**
 * One of the supervisor's team.* events about an agent: written as baton's
 * guardian (no agent can forge it), with the agent as its subject, so
 * `baton log --task`-style filters by subject find it.
 */
export function recordTeamEvent(
  hub: Hub,
  agent: string,
  type: `team.${string}`,
  summary: string,
  data: Record<string, unknown>,
): Promise<unknown> {
  return hub.as(agent).log.record(type, summary, data, { subject: agent, byGuardian: true });
}
