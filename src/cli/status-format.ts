import { type ShownState, shownState } from "../domain/agent-status.js";
import { addCost, describeCost, NO_COST } from "../domain/cost.js";
import type { AgentView } from "../domain/types.js";
import type { TeamView } from "../orchestrator/team/team-view.js";
import type { TeamStatus, WaitingItem } from "../services/status-service.js";
import { oneLine as t } from "../util/control-chars.js";
import { formatDuration } from "../util/duration.js";
import { type Style, table } from "./style.js";
import { truncateToWidth } from "./text-width.js";

/** `baton status`: what waits for you first, then the team, the work and the files held. */

const ACT: Record<WaitingItem["kind"], string> = {
  question: "baton answer ID TEXT",
  approval: "baton approve ID / baton reject ID --reason TEXT",
  escalation: "baton resolve ID --note TEXT",
  message: "baton inbox --ack",
};

/** One item on its own line, for the inbox. */
export function waitingLine(item: WaitingItem, s: Style): string {
  const about = item.task ? s.dim(` (${item.task})`) : "";
  return `${s.bold(item.id)} ${item.urgent ? s.red(item.kind) : s.yellow(item.kind)} ${t(item.from)}${about}: ${t(item.text)}`;
}

function waitingBlock(status: TeamStatus, s: Style): string[] {
  const who = status.you ? `you (${t(status.you.name)})` : "a human";
  if (status.waiting.length === 0) return [s.green(`Nothing waits for ${who}.`)];
  const rows = status.waiting.map((item) => [
    s.bold(item.id),
    item.urgent ? s.red(item.kind) : s.yellow(item.kind),
    item.task ?? "",
    t(item.from),
    `${formatDuration(status.at - item.at)} ago`,
    t(item.text),
  ]);
  const kinds = [...new Set(status.waiting.map((item) => item.kind))];
  return [
    s.bold(`Waiting for ${who}: ${status.waiting.length}`),
    indent(table(rows, room(s))),
    ...kinds.map((kind) => s.dim(`  ${kind}: ${ACT[kind]}`)),
  ];
}

function youBlock(status: TeamStatus, s: Style): string[] {
  const you = status.agents.find((a) => a.name === status.you?.name);
  if (!you) return [];
  const mine = status.tasks.claimed.filter((task) => task.holder === you.name);
  const tasks = mine.map(
    (task) => `${task.id} (claim ends in ${formatDuration(task.claimExpiresAt! - status.at)})`,
  );
  const unread = status.waiting.filter((item) => item.kind === "message").length;
  return [
    `${s.bold(`You (${t(you.name)})`)}: ${tasks.join(", ") || "no task"}; ${you.leases.length} lease(s); ${unread} unread message(s)`,
    ...status.waiting
      .filter((item) => item.kind === "message")
      .map((m) => `  ${s.bold(m.id)} ${t(m.from)}: ${t(m.text)}`),
  ];
}

/** Four columns, so the team fits 40 columns: status carries how long ago an agent was seen when that matters. */
function agentsTable(agents: AgentView[], now: number, s: Style): string {
  if (agents.length === 0)
    return s.dim("no agents yet: they join when they first act, or with baton agent join NAME");
  const colour: Record<ShownState, (text: string) => string> = {
    idle: s.cyan,
    busy: s.green,
    working: s.green,
    waiting: s.yellow,
    offline: s.dim,
    exited: s.dim,
    hung: s.red,
    stuck: s.red,
  };
  const rows = [["AGENT", "STATUS", "TASK", "DOING"].map(s.dim)];
  for (const agent of agents) {
    const shown = shownState(agent);
    const seen =
      shown === "hung" || shown === "offline" || shown === "stuck"
        ? ` ${formatDuration(now - agent.lastSeenAt)}`
        : "";
    const leases = agent.leases.length
      ? `${agent.leases.length} lease${agent.leases.length > 1 ? "s" : ""}`
      : "";
    // The evidence: which signal said so, and how long ago.
    const evidence = agent.activity
      ? `${agent.activity.signal} ${formatDuration(now - agent.activity.at)} ago${agent.activity.detail ? `: ${agent.activity.detail}` : ""}`
      : "";
    const spent = agent.cost.turns ? describeCost(agent.cost) : "";
    rows.push([
      s.bold(t(agent.name)),
      colour[shown](`${shown}${seen}`),
      agent.tasks.join(",") || "-",
      [t(agent.workingOn ?? ""), spent, leases && s.dim(leases), evidence && s.dim(t(evidence))]
        .filter(Boolean)
        .join(" · "),
    ]);
  }
  return table(rows, room(s));
}

function tasksBlock(status: TeamStatus, s: Style): string[] {
  const { tasks } = status;
  const head = `${s.bold("Tasks")}: ${tasks.open} open (${tasks.ready} ready), ${tasks.claimed.length} claimed${
    tasks.overdue.length ? `, ${s.red(`${tasks.overdue.length} overdue`)}` : ""
  }${tasks.blocked.length ? `, ${s.red(`${tasks.blocked.length} blocked`)}` : ""}`;
  const rows = tasks.overdue.map((task) => [
    s.bold(task.id),
    s.red(`${formatDuration(status.at - task.dueAt!)} overdue`),
    task.holder ? `held by ${t(task.holder)}` : task.status,
    t(task.title),
  ]);
  for (const task of tasks.blocked) {
    const cause = task.blockedBy.map((b) => `${b.id} ${b.status}`).join(", ");
    rows.push([s.bold(task.id), s.red("blocked"), `by ${cause}`, t(task.title)]);
  }
  return rows.length ? [head, indent(table(rows, room(s)))] : [head];
}

/** The team's spend, when anyone has spent anything: `baton cost` has the detail. */
function costLine(agents: AgentView[], s: Style): string[] {
  const spent = agents.filter((a) => a.cost.turns > 0);
  if (spent.length === 0) return [];
  const total = spent.reduce((sum, a) => addCost(sum, a.cost), { ...NO_COST });
  return [
    `${s.bold("Cost")}: ${describeCost(total)} over ${total.turns} turn${total.turns === 1 ? "" : "s"} ${s.dim("(baton cost)")}`,
  ];
}

function leasesLine(status: TeamStatus, s: Style): string {
  const holders = new Set(status.leases.map((lease) => lease.holder));
  return `${s.bold("Leases")}: ${status.leases.length} live${status.leases.length ? ` (${holders.size} holder${holders.size > 1 ? "s" : ""})` : ""}`;
}

/** Two columns of indent come off the width tables may take. */
function room(s: Style): number | undefined {
  return s.columns === undefined ? undefined : Math.max(s.columns - 2, 20);
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

export function statusLines(status: TeamStatus, s: Style): string[] {
  const forHuman = !status.you || status.you.kind === "human";
  const agents = status.agents.filter((a) => a.kind !== "human");
  const lines = [
    ...(forHuman ? waitingBlock(status, s) : youBlock(status, s)),
    "",
    s.bold(`Agents: ${agents.length}`),
    indent(agentsTable(agents, status.at, s)),
    "",
    ...tasksBlock(status, s),
    leasesLine(status, s),
    ...costLine(agents, s),
  ];
  // Lines that are not tables are cut too: at 40 columns nothing may wrap.
  return s.columns === undefined
    ? lines
    : lines.flatMap((line) => line.split("\n")).map((line) => truncateToWidth(line, s.columns!));
}

/**
 * The team `baton up` started: one row per agent with its process, branch and
 * port (what a person opens to see its dev server). What each agent is doing,
 * with its evidence, is in the Agents block above.
 */
export function teamLines(team: TeamView, s: Style): string[] {
  const where = team.headless ? "headless (background processes)" : `tmux session ${team.session ?? "-"}`;
  const head = `${s.bold("Team")}: ${where}${team.live ? "" : s.red(" (gone: baton down clears it)")}`;
  const colour = { running: s.green, exited: s.red, stopped: s.dim, gone: s.red };
  // A dev server's address when the team has a run script (what a person opens); else the port.
  const rows = [["AGENT", "PROCESS", "BRANCH", team.agents.some((a) => a.url) ? "URL" : "PORT"].map(s.dim)];
  for (const a of team.agents) {
    const pid = a.pid !== null && a.process === "running" ? ` (pid ${a.pid})` : "";
    // A running host baton has not heard from since it started is still starting, or on a screen of its own.
    const quiet = a.process === "running" && a.heard === false ? ", no word yet" : "";
    const process = `${a.process}${pid}${a.exit ? ` (${a.exit})` : ""}${quiet}${a.restarts ? `, ${a.restarts} restart${a.restarts > 1 ? "s" : ""}` : ""}`;
    rows.push([
      s.bold(t(a.name)),
      colour[a.process](process),
      t(a.branch ?? "(shared)"),
      a.url ?? String(a.port),
    ]);
  }
  // What stops an agent before it starts: the human answers it in the agent's window, baton never does.
  const asks = team.agents.flatMap((a) =>
    a.waitingFor.map(
      (q) => `  ${s.yellow(`${t(a.name)} waits for you`)}: ${t(q)}; answer it in baton attach ${t(a.name)}`,
    ),
  );
  return [head, indent(table(rows, room(s))), ...asks];
}
