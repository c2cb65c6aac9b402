import type { Hub } from "../../services/hub.js";
import { resumeOf } from "../hosts/agent-launch.js";
import { firstPrompt, roleText } from "../team/role-prompt.js";
import type { TeamAgent, TeamRecord } from "../team/team-record.js";

export interface Restart {
  command: string[];
  /** True when the host carries on its last conversation; false when it starts afresh. */
  resumed: boolean;
}

/**
 * What the supervisor runs for an agent whose process died. An agent whose
 * host had started its session (it was heard from since it started) resumes
 * that conversation, so the model sees what it did, with a new message: its
 * instructions again (the role's current text) and what it still holds.
 * Anything else starts as `up` started it: a host that cannot resume, a
 * command baton does not know, or one that died before its session began
 * (there is nothing to resume, and "continue" would fail).
 */
export async function restartCommand(
  hub: Hub,
  record: TeamRecord,
  agent: TeamAgent,
  ended: string,
  heard: boolean,
): Promise<Restart> {
  const fresh = { command: agent.command, resumed: false };
  if (!heard) return fresh;
  let instructions: string;
  try {
    instructions = firstPrompt({
      name: agent.name,
      role: agent.role,
      cwd: agent.cwd,
      branch: agent.branch,
      port: agent.port,
      teamSize: record.agents.length,
      roleText: roleText(record.root, agent.role),
    });
  } catch {
    return fresh; // its role file is gone: the prompt it started with is the best there is
  }
  // Never a reason not to restart: without the list it is told it holds nothing, and baton's tools say more.
  const held = (
    await hub
      .as(agent.name)
      .tasks.list({ mine: true })
      .catch(() => [])
  ).filter((t) => t.holder === agent.name);
  const prompt = [
    instructions,
    "",
    `baton restarted you: your process ended (${ended}). This is your conversation from before.`,
    ...(held.length
      ? held.map((t) => `You still hold ${t.id}: ${t.title}. Carry on with it.`)
      : ["You hold no task now."]),
  ].join("\n");
  const command = resumeOf(agent.host, prompt);
  return command ? { command, resumed: true } : fresh;
}
