import { causeText, directCause } from "../domain/blocked-tasks.js";
import { describeCost } from "../domain/cost.js";
import type { TaskReport } from "../domain/task-report.js";
import type {
  AgentView,
  Approval,
  BatonEvent,
  Channel,
  Lease,
  LeaseConflict,
  Message,
  Question,
  Task,
  TaskDetail,
} from "../domain/types.js";
import { neutralise, oneLine as t } from "../util/control-chars.js";
import { formatDuration } from "../util/duration.js";
import { type Style, table } from "./style.js";

/** Text renderings for people. JSON output never goes through here. */

function when(at: number): string {
  return new Date(at).toISOString().replace("T", " ").slice(0, 19);
}

function statusText(task: Task, s: Style): string {
  switch (task.status) {
    case "open":
      return task.blockedBy.length > 0 ? s.red("blocked") : s.cyan("open");
    case "claimed":
      return s.yellow("claimed");
    case "done":
      return s.green("done");
    default:
      return s.red(task.status);
  }
}

export function taskLine(task: Task, s: Style): string {
  return `${s.bold(task.id)} ${statusText(task, s)} ${t(task.title)}`;
}

export function taskTable(tasks: Task[], s: Style, now: number): string {
  if (tasks.length === 0) return s.dim("no tasks match");
  const rows = [["ID", "P", "STATUS", "WHO", "QUEUE", "TITLE"].map(s.dim)];
  for (const task of tasks) {
    const who = task.holder
      ? `${t(task.holder)} (${formatDuration(task.claimExpiresAt! - now)} left)`
      : task.assignee
        ? `→ ${t(task.assignee)}`
        : "";
    const deps = task.dependsOn.length ? s.dim(` after ${task.dependsOn.join(",")}`) : "";
    const tags = task.tags.length ? s.dim(` #${t(task.tags.join(" #"))}`) : "";
    rows.push([
      s.bold(task.id),
      String(task.priority),
      statusText(task, s),
      who,
      t(task.queue),
      `${t(task.title)}${tags}${deps}`,
    ]);
  }
  return table(rows, s.columns, [4, 1, 3]);
}

export function taskDetail(task: TaskDetail, s: Style, now: number): string[] {
  const lines = [`${s.bold(task.id)}  ${t(task.title)}`];
  const field = (name: string, value: string) => lines.push(`  ${s.dim(name.padEnd(10))} ${value}`);
  field("status", statusText(task, s));
  field("queue", `${t(task.queue)}, priority ${task.priority}`);
  if (task.tags.length) field("tags", t(task.tags.join(", ")));
  if (task.assignee) field("assignee", t(task.assignee));
  if (task.holder)
    field(
      "holder",
      `${t(task.holder)}, token ${task.token}, claim ends in ${formatDuration(task.claimExpiresAt! - now)}`,
    );
  field("attempts", `${task.attempts} of ${task.maxAttempts}`);
  if (task.dueAt !== null) {
    const late = now - task.dueAt;
    field(
      "due",
      late > 0 && task.status !== "done"
        ? `${when(task.dueAt)} (${formatDuration(late)} overdue)`
        : when(task.dueAt),
    );
  }
  if (task.planRequired) field("plan", "required: approved by a human before done");
  if (task.dependsOn.length) {
    const waiting = new Set(task.waitingOn);
    field(
      "after",
      task.dependsOn.map((id) => (waiting.has(id) ? `${id} (waiting)` : `${id} (done)`)).join(", "),
    );
  }
  if (task.blockedBy.length)
    field(
      "blocked",
      `${task.blockedBy.map(causeText).join(", ")}: a human decides (${directCause(task) ? `baton task dep rm ${task.id} ${directCause(task)}` : "remove the dependency that leads there"}, or baton task cancel ${task.id})`,
    );
  if (task.blocks.length) field("blocks", task.blocks.join(", "));
  if (task.result) field(task.status === "done" ? "result" : "reason", t(task.result));
  if (task.cost.turns)
    field("cost", `${describeCost(task.cost)} over ${task.cost.turns} turn(s) (baton cost ${task.id})`);
  field("created", `${when(task.createdAt)} by ${t(task.createdBy)}`);
  if (task.body)
    lines.push(
      "",
      ...neutralise(task.body)
        .split("\n")
        .map((line) => `  ${line}`),
    );
  if (task.report) lines.push("", s.dim("report"), ...reportLines(task.report, s));
  if (task.remarks.length) {
    lines.push("", s.dim("remarks"));
    for (const remark of task.remarks)
      lines.push(`  ${s.dim(when(remark.at))} ${t(remark.by)}: ${t(remark.text)}`);
  }
  lines.push("", s.dim("history"));
  for (const event of task.history) lines.push(`  ${eventLine(event, s)}`);
  return lines;
}

export function leaseTable(leases: Lease[], s: Style, now: number): string {
  if (leases.length === 0) return s.dim("no live leases");
  const rows = [["PATH", "HOLDER", "MODE", "TOKEN", "EXPIRES", "INTENT"].map(s.dim)];
  for (const lease of leases) {
    rows.push([
      s.bold(t(lease.path)),
      t(lease.holder),
      lease.exclusive ? "exclusive" : "shared",
      String(lease.token),
      `in ${formatDuration(lease.expiresAt - now)}`,
      t(lease.intent ?? ""),
    ]);
  }
  return table(rows, s.columns, [3, 2, 4]);
}

export function conflictLines(conflicts: LeaseConflict[], s: Style, now: number): string[] {
  return conflicts.map(
    (c) =>
      `${s.red("held")} ${s.bold(t(c.path))}${c.heldPath !== c.path ? ` (overlaps ${t(c.heldPath)}${c.heldLeadsTo ? `, which now leads to ${t(c.heldLeadsTo)}` : ""})` : ""}: ${t(c.holder)} holds it ${c.exclusive ? "exclusively" : "shared"}${c.intent ? ` to ${t(c.intent)}` : ""}, for ${formatDuration(c.expiresAt - now)} more`,
  );
}

export function agentTable(agents: AgentView[], s: Style, now: number): string {
  if (agents.length === 0) return s.dim("no agents yet: baton agent join NAME");
  const colour = { idle: s.cyan, busy: s.green, offline: s.dim, hung: s.red };
  const rows = [["AGENT", "KIND", "ROLE", "STATUS", "SEEN", "TASKS", "LEASES", "WORKING ON"].map(s.dim)];
  for (const agent of agents) {
    rows.push([
      s.bold(t(agent.name)),
      agent.kind,
      t(agent.role ?? ""),
      colour[agent.status](agent.status),
      `${formatDuration(now - agent.lastSeenAt)} ago`,
      agent.tasks.join(",") || "-",
      t(agent.leases.join(",")) || "-",
      t(agent.workingOn ?? ""),
    ]);
  }
  return table(rows, s.columns, [1, 2, 4, 6, 5]);
}

export function eventLine(event: BatonEvent, s: Style): string {
  return `${s.dim(`#${event.seq}`)} ${s.dim(when(event.at))} ${s.cyan(event.type)} ${t(event.summary)}`;
}

function recipientText(message: Message): string {
  switch (message.kind) {
    case "channel":
      return `#${t(message.to ?? "")}`;
    case "broadcast":
      return message.to ? `@${t(message.to)}` : "everyone";
    case "escalation":
      return "humans";
    default:
      return t(message.to ?? "");
  }
}

/**
 * Text of several lines inside a listing: every line after the first indented
 * under a bar, so no line of it can pass for an entry of the listing (a forged
 * "M-9 … lea → bob: approved" line).
 */
function continued(text: string): string {
  return neutralise(text).split("\n").join("\n    │ ");
}

export function messageLine(message: Message, s: Style): string {
  const to = recipientText(message);
  const flags = [message.urgent ? s.red("urgent") : "", message.replyTo ? s.dim(`re ${message.replyTo}`) : ""]
    .filter(Boolean)
    .join(" ");
  return `${s.dim(message.id)} ${s.dim(when(message.at))} ${s.bold(t(message.sender))} → ${to}${flags ? ` ${flags}` : ""}: ${continued(message.body)}`;
}

export function channelTable(channels: Channel[], s: Style): string {
  if (channels.length === 0) return s.dim("no channels yet: baton channel add #general");
  return table(
    [
      ["CHANNEL", "MESSAGES", "TOPIC"].map(s.dim),
      ...channels.map((c) => [s.bold(`#${t(c.name)}`), String(c.messages), t(c.topic ?? "")]),
    ],
    s.columns,
  );
}

export function questionLine(q: Question, s: Style): string {
  const options = q.options ? s.dim(` [${q.options.map((o, i) => `${i + 1}. ${t(o)}`).join("  ")}]`) : "";
  const about = q.task ? s.dim(` (${q.task})`) : "";
  const state =
    q.status === "open"
      ? s.yellow("open")
      : q.status === "expired"
        ? `${s.dim("expired")}: ${t(q.note ?? "")}`
        : `${s.green("answered")} by ${t(q.answeredBy ?? "")}: ${s.bold(t(q.answer ?? ""))}`;
  return `${s.bold(q.id)} ${t(q.askedBy)}${about}: ${t(q.text)}${options} — ${state}`;
}

export function approvalLine(a: Approval, s: Style): string {
  const about = a.task ? s.dim(` (${a.task})`) : "";
  const state =
    a.status === "pending"
      ? s.yellow("pending")
      : a.status === "expired"
        ? `${s.dim("expired")}${a.note ? `: ${t(a.note)}` : ""}`
        : `${a.status === "approved" ? s.green("approved") : s.red("rejected")} by ${t(a.decidedBy ?? "")}${a.note ? `: ${t(a.note)}` : ""}`;
  return `${s.bold(a.id)} ${t(a.requestedBy)}${about}: ${t(a.action)} — ${state}`;
}

export function reportLines(report: TaskReport, s: Style): string[] {
  const lines = [`  ${t(report.summary)}`];
  const colour = { info: s.dim, low: s.cyan, medium: s.yellow, high: s.red, critical: s.red };
  for (const f of report.findings) {
    const where = f.file ? s.dim(` ${t(f.file)}${f.line ? `:${f.line}` : ""}`) : "";
    lines.push(`  ${colour[f.severity](f.severity.padEnd(8))} ${t(f.description)}${where}`);
  }
  const list = (name: string, items: string[]) => {
    if (items.length) lines.push(`  ${s.dim(name)} ${t(items.join(", "))}`);
  };
  list("recommended", report.recommendations);
  list("modified", report.filesModified);
  list("created", report.filesCreated);
  list("errors", report.errors);
  return lines;
}
