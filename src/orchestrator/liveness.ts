import { foldName } from "../domain/agent-names.js";
import { silenceOf } from "../domain/agent-status.js";
import type { Agent } from "../domain/types.js";
import { formatDuration } from "../util/duration.js";

/**
 * What baton knows about an agent that may still be at work. For now the
 * store's record; the team supervisor will add what it sees of the agent's
 * process and terminal, as more optional fields.
 */
export interface LivenessSignals {
  /** The agent as the store shows it (`baton agents`); undefined when it never joined. */
  agent: Agent | undefined;
  now: number;
  /** The config's hung_after: silence longer than this is no sign of life. */
  hungAfterMs: number;
  /** Its process runs in the team `baton up` started (its tmux pane is alive); undefined when not in a team. */
  running?: boolean;
}

export interface Liveness {
  alive: boolean;
  /** Why, in words for a person: `heard from 12s ago`, `silent for 2h, past hung_after (5m)`. */
  because: string;
}

/** One kind of evidence: alive, not alive, or nothing to say (undefined). */
type Sign = (signals: LivenessSignals) => Liveness | undefined;

/**
 * A heartbeat (or any command) within hung_after. The same measure as the
 * `hung` status (domain/agent-status.ts), but holding no work does not make a
 * silent agent's process any less likely to be running: so no claim or lease
 * is needed for the heartbeat to count here.
 */
const heartbeat: Sign = ({ agent, now, hungAfterMs }) => {
  if (!agent) return { alive: false, because: "it has not joined the team" };
  if (agent.leftAt !== null) return { alive: false, because: "it left the team" };
  const silence = silenceOf(agent, now);
  return silence > hungAfterMs
    ? {
        alive: false,
        because: `silent for ${formatDuration(silence)}, past hung_after (${formatDuration(hungAfterMs)})`,
      }
    : { alive: true, because: `heard from ${formatDuration(Math.max(0, silence))} ago` };
};

/** Its process, as the team's tmux session shows it: a live pane is a live agent, however quiet. */
const teamProcess: Sign = ({ running }) =>
  running === undefined
    ? undefined
    : running
      ? { alive: true, because: "its process runs in the team's tmux session" }
      : undefined;

const SIGNS: readonly Sign[] = [teamProcess, heartbeat];

/**
 * Whether the agent may still be working. Erring towards alive: a wrong
 * "alive" keeps a worktree a little longer, a wrong "dead" deletes one under a
 * working agent. So any sign of life wins; otherwise the first sign against.
 */
export function agentLooksAlive(signals: LivenessSignals): Liveness {
  const said = SIGNS.map((sign) => sign(signals)).filter((answer) => answer !== undefined);
  return (
    said.find((answer) => answer.alive) ?? said[0] ?? { alive: false, because: "nothing shows it at work" }
  );
}

/** The agent of that name in a list from the store; names are the same whatever their case. */
export function agentNamed<A extends Agent>(agents: readonly A[], name: string): A | undefined {
  return (
    agents.find((agent) => agent.name === name) ?? agents.find((a) => foldName(a.name) === foldName(name))
  );
}
