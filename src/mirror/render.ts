import type { QueueConfig } from "../domain/config.js";
import type { AgentView, Approval, BatonEvent, Question, SummaryRound, Task } from "../domain/types.js";
import { neutralise, oneLine } from "../util/control-chars.js";

/**
 * The mirror's pages, from plain state to markdown. Pure: no clock, no I/O, so
 * the same state always renders the same bytes and git sees a change only when
 * something changed.
 */
export interface MirrorState {
  queues: QueueConfig[];
  tasks: Task[];
  agents: AgentView[];
  questions: Question[];
  approvals: Approval[];
  decisions: BatonEvent[];
  summaries: SummaryRound[];
  lastEvent: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16);
/** One line of agent text in markdown: control characters shown, no line breaks (a title cannot start a heading), pipes escaped for tables. */
const cell = (text: string) => oneLine(text).replace(/\|/g, "\\|");

function queuePage(queue: QueueConfig, tasks: Task[]): string {
  const rules = [
    `prefix \`${queue.prefix}\``,
    queue.handler ? `handler role \`${queue.handler}\`` : "no handler role",
    queue.slaMinutes ? `SLA ${queue.slaMinutes} min` : "no SLA",
    `claim policy ${queue.claimPolicy}`,
  ];
  const lines = [`# Queue ${queue.name}`, "", rules.join(", "), ""];
  for (const status of ["claimed", "open", "done", "failed", "dead", "cancelled"] as const) {
    const group = tasks.filter((task) => task.status === status);
    if (group.length === 0) continue;
    lines.push(
      `## ${status} (${group.length})`,
      "",
      "| id | P | title | who | after | due |",
      "|---|---|---|---|---|---|",
    );
    for (const t of group) {
      const who = cell(t.holder ?? (t.assignee ? `→ ${t.assignee}` : ""));
      lines.push(
        `| ${t.id} | ${t.priority} | ${cell(t.title)} | ${who} | ${t.dependsOn.join(", ")} | ${t.dueAt ? iso(t.dueAt) : ""} |`,
      );
    }
    lines.push("");
  }
  if (tasks.length === 0) lines.push("_No tasks._", "");
  return lines.join("\n");
}

function humanPage(questions: Question[], approvals: Approval[]): string {
  const open = questions.filter((q) => q.status === "open");
  const pending = approvals.filter((a) => a.status === "pending");
  const lines = ["# Waiting for a human", "", `## Questions (${open.length})`, ""];
  for (const q of open) {
    lines.push(
      `- **${q.id}** ${cell(q.askedBy)}${q.task ? ` (${q.task})` : ""}: ${cell(q.text)}${q.options ? ` — options: ${cell(q.options.join(", "))}` : ""}`,
    );
  }
  if (open.length === 0) lines.push("_None._");
  lines.push("", `## Approvals (${pending.length})`, "");
  for (const a of pending) {
    lines.push(`- **${a.id}** ${cell(a.requestedBy)}${a.task ? ` (${a.task})` : ""}: ${cell(a.action)}`);
    if (a.plan)
      lines.push(
        "",
        ...neutralise(a.plan)
          .split("\n")
          .map((line) => `  > ${line}`),
        "",
      );
  }
  if (pending.length === 0) lines.push("_None._");
  return `${lines.join("\n")}\n`;
}

function decisionsPage(decisions: BatonEvent[]): string {
  const lines = ["# Decisions", ""];
  for (const d of [...decisions].reverse())
    lines.push(`- ${iso(d.at)} **${cell(d.actor)}**: ${cell(d.summary)}`);
  if (decisions.length === 0) lines.push("_None recorded yet: `baton log write decision TEXT`._");
  return `${lines.join("\n")}\n`;
}

function agentsPage(agents: AgentView[]): string {
  const lines = ["# Agents", "", "| agent | kind | role | tasks | leases |", "|---|---|---|---|---|"];
  for (const a of agents)
    lines.push(
      `| ${cell(a.name)} | ${a.kind} | ${cell(a.role ?? "")} | ${a.tasks.join(", ")} | ${cell(a.leases.join(", "))} |`,
    );
  return `${lines.join("\n")}\n`;
}

/** Relative path → markdown, for every page of the mirror. */
export function renderMirror(state: MirrorState): Map<string, string> {
  const pages = new Map<string, string>();
  const index = [
    "# baton mirror",
    "",
    "A read-only view of the workspace, written by `baton mirror`. Edit nothing here.",
    "",
  ];
  for (const queue of state.queues) {
    const tasks = state.tasks.filter((task) => task.queue === queue.name);
    pages.set(`queue-${queue.name}.md`, queuePage(queue, tasks));
    const open = tasks.filter((t) => t.status === "open" || t.status === "claimed").length;
    index.push(
      `- [Queue ${queue.name}](queue-${queue.name}.md): ${open} open or claimed, ${tasks.length} in all`,
    );
  }
  pages.set("waiting-for-human.md", humanPage(state.questions, state.approvals));
  pages.set("decisions.md", decisionsPage(state.decisions));
  pages.set("agents.md", agentsPage(state.agents));
  index.push(
    "- [Waiting for a human](waiting-for-human.md)",
    "- [Decisions](decisions.md)",
    "- [Agents](agents.md)",
  );
  for (const round of state.summaries.filter((r) => r.report)) {
    pages.set(`summaries/${round.day}.md`, neutralise(round.report!));
    index.push(`- [Summary ${round.day}](summaries/${round.day}.md)`);
  }
  index.push("", `_As of event #${state.lastEvent}._`, "");
  pages.set("README.md", index.join("\n"));
  return pages;
}
