import { get } from "../../api";
import type { InboxItem } from "../inbox/types";

/** An agent as GET /api/v1/agents gives it (src/domain/types.ts AgentView). */
export interface AgentView {
  name: string;
  role: string | null;
  kind: string;
  joinedAt: number;
  lastSeenAt: number;
  workingOn: string | null;
  leftAt: number | null;
  status: "idle" | "busy" | "offline" | "hung";
  activity: {
    state: "working" | "waiting" | "idle" | "exited";
    signal: string;
    detail: string | null;
    at: number;
  } | null;
  tasks: string[];
  leases: string[];
  cost: { usd: number; estimated: boolean; unpriced: number; turns: number };
}

/** An orchestrated agent as GET /api/v1/team gives it (src/orchestrator/team/team-view.ts). */
export interface TeamAgent {
  name: string;
  host: string;
  role: string;
  branch: string | null;
  port: number;
  url: string | null;
  pid: number | null;
  process: "running" | "exited" | "stopped" | "gone";
  exit: string | null;
  restarts: number;
  heard: boolean | null;
  waitingFor: string[];
}

export interface Team {
  session: string | null;
  headless: boolean;
  live: boolean;
  agents: TeamAgent[];
}

export interface TaskBrief {
  id: string;
  title: string;
}

/** One row of the screen: what the hub knows of the agent and, when baton up started it, of its process. */
export interface Row {
  name: string;
  agent: AgentView | undefined;
  team: TeamAgent | undefined;
  /** Questions and approvals it asked that wait for a person. */
  waits: InboxItem[];
  tasks: TaskBrief[];
  state: State;
  evidence: string[];
}

export type State = "working" | "waiting" | "idle" | "stuck" | "offline";

export const STATE_LABEL: Record<State, string> = {
  working: "working",
  waiting: "waiting for you",
  idle: "idle",
  stuck: "stuck",
  offline: "offline",
};

/** "3m ago" without the "now" of ago(): evidence reads as a sentence. */
function since(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ago` : `${Math.floor(h / 24)}d ago`;
}

/**
 * One state per agent for the human, with the evidence that says so, most
 * telling first. The order of the rules is the order of what matters to a
 * person: a process that is not running is offline whatever it last said;
 * then anything that waits for them; then a working agent gone silent
 * (stuck, as `baton status` calls it); then work; then idle.
 */
export function judge(
  agent: AgentView | undefined,
  team: TeamAgent | undefined,
  waits: InboxItem[],
  now: number,
): { state: State; evidence: string[] } {
  const evidence: string[] = [];
  const activity = agent?.activity;
  const said = activity
    ? `${activity.signal} said ${activity.state} ${since(activity.at, now)}${activity.detail ? `: ${activity.detail}` : ""}`
    : undefined;
  if (team && team.process !== "running") {
    const why = {
      stopped: "stopped: baton will not restart it",
      gone: "its window is gone",
      exited: `its process ended${team.exit ? ` (${team.exit})` : ""}; the hub restarts it once`,
    }[team.process];
    return { state: "offline", evidence: [why] };
  }
  if (agent && agent.status === "offline") {
    evidence.push(
      agent.leftAt !== null
        ? `left the team ${since(agent.leftAt, now)}`
        : `no word from it since ${since(agent.lastSeenAt, now)}`,
    );
    return { state: "offline", evidence };
  }
  if (waits.length || activity?.state === "waiting" || team?.waitingFor.length) {
    // Its questions and approvals: the card shows them as links to the inbox (row.waits).
    for (const q of team?.waitingFor ?? [])
      evidence.push(`its host asks before it starts: ${q} (answer it in its terminal)`);
    if (activity?.state === "waiting" && said) evidence.push(said);
    return { state: "waiting", evidence };
  }
  if (agent?.status === "hung") {
    evidence.push(
      `holds ${[...agent.tasks, ...agent.leases].length} claim(s) or lease(s) but silent since ${since(agent.lastSeenAt, now)}`,
    );
    if (said) evidence.push(said);
    return { state: "stuck", evidence };
  }
  if (!agent) {
    return {
      state: "idle",
      evidence: [team?.heard === false ? "started; no word from it yet" : "not joined yet"],
    };
  }
  if (activity?.state === "working" || agent.status === "busy") {
    if (said && activity?.state === "working") evidence.push(said);
    if (agent.tasks.length) evidence.push(`holds ${agent.tasks.join(", ")}`);
    return { state: "working", evidence };
  }
  if (said) evidence.push(said);
  else evidence.push(`heard from ${since(agent.lastSeenAt, now)}; holds no task`);
  return { state: "idle", evidence };
}

/** "$0.42 over 3 turns", "~$0.10 (+1 unpriced)", or nothing before its first turn. */
export function costText(cost: AgentView["cost"]): string {
  if (cost.turns === 0) return "";
  const usd = `${cost.estimated ? "~" : ""}$${cost.usd.toFixed(cost.usd < 1 ? 3 : 2)}`;
  const unpriced = cost.unpriced ? ` (+${cost.unpriced} unpriced)` : "";
  return `${usd}${unpriced} over ${cost.turns} turn${cost.turns === 1 ? "" : "s"}`;
}

/** Everything the screen shows, in one parallel read: the hub's agents, the team's processes, what waits, the tasks held. */
export async function loadRows(now = Date.now()): Promise<{ rows: Row[]; team: Team | null }> {
  const [{ agents }, { team }, inbox, { tasks }] = await Promise.all([
    get<{ agents: AgentView[] }>("/agents"),
    get<{ team: Team | null }>("/team"),
    get<{ items: InboxItem[] }>("/inbox"),
    get<{ tasks: TaskBrief[] }>("/tasks?status=claimed"),
  ]);
  const titles = new Map(tasks.map((t) => [t.id, t.title]));
  const names = [
    ...(team?.agents.map((a) => a.name) ?? []),
    ...agents.filter((a) => a.kind !== "human").map((a) => a.name),
  ];
  const rows = [...new Set(names)].map((name): Row => {
    const agent = agents.find((a) => a.name === name);
    const member = team?.agents.find((a) => a.name === name);
    const waits = inbox.items.filter((i) => i.from === name && i.kind !== "message" && i.state === "open");
    return {
      name,
      agent,
      team: member,
      waits,
      tasks: (agent?.tasks ?? []).map((id) => ({ id, title: titles.get(id) ?? "" })),
      ...judge(agent, member, waits, now),
    };
  });
  // Who needs the person first; within a state, the team's order.
  rows.sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state));
  return { rows, team };
}

const ORDER: State[] = ["waiting", "stuck", "working", "idle", "offline"];
