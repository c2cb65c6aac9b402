import { causeText, directCause } from "../domain/blocked-tasks.js";
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
  return `${s.bold(task.id)} ${statusText(task, s)} ${task.title}`;
}

export function taskTable(tasks: Task[], s: Style, now: number): string {
  if (tasks.length === 0) return s.dim("no tasks match");
  const rows = [["ID", "P", "STATUS", "WHO", "QUEUE", "TITLE"].map(s.dim)];
  for (const task of tasks) {
    const who = task.holder
      ? `${task.holder} (${formatDuration(task.claimExpiresAt! - now)} left)`
      : task.assignee
        ? `→ ${task.assignee}`
        : "";
    const deps = task.dependsOn.length ? s.dim(` after ${task.dependsOn.join(",")}`) : "";
    const tags = task.tags.length ? s.dim(` #${task.tags.join(" #")}`) : "";
    rows.push([
      s.bold(task.id),
      String(task.priority),
      statusText(task, s),
      who,
      task.queue,
      `${task.title}${tags}${deps}`,
    ]);
  }
  return table(rows);
}

export function taskDetail(task: TaskDetail, s: Style, now: number): string[] {
  const lines = [`${s.bold(task.id)}  ${task.title}`];
  const field = (name: string, value: string) => lines.push(`  ${s.dim(name.padEnd(10))} ${value}`);
  field("status", statusText(task, s));
  field("queue", `${task.queue}, priority ${task.priority}`);
  if (task.tags.length) field("tags", task.tags.join(", "));
  if (task.assignee) field("assignee", task.assignee);
  if (task.holder)
    field(
      "holder",
      `${task.holder}, token ${task.token}, claim ends in ${formatDuration(task.claimExpiresAt! - now)}`,
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
  if (task.result) field(task.status === "done" ? "result" : "reason", task.result);
  field("created", `${when(task.createdAt)} by ${task.createdBy}`);
  if (task.body) lines.push("", ...task.body.split("\n").map((line) => `  ${line}`));
  if (task.report) lines.push("", s.dim("report"), ...reportLines(task.report, s));
  if (task.remarks.length) {
    lines.push("", s.dim("remarks"));
    for (const remark of task.remarks) lines.push(`  ${s.dim(when(remark.at))} ${remark.by}: ${remark.text}`);
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
      s.bold(lease.path),
      lease.holder,
      lease.exclusive ? "exclusive" : "shared",
      String(lease.token),
      `in ${formatDuration(lease.expiresAt - now)}`,
      lease.intent ?? "",
    ]);
  }
  return table(rows);
}

export function conflictLines(conflicts: LeaseConflict[], s: Style, now: number): string[] {
  return conflicts.map(
    (c) =>
      `${s.red("held")} ${s.bold(c.path)}${c.heldPath !== c.path ? ` (overlaps ${c.heldPath})` : ""}: ${c.holder} holds it ${c.exclusive ? "exclusively" : "shared"}${c.intent ? ` to ${c.intent}` : ""}, for ${formatDuration(c.expiresAt - now)} more`,
  );
}

export function agentTable(agents: AgentView[], s: Style, now: number): string {
  if (agents.length === 0) return s.dim("no agents yet: baton agent join NAME");
  const colour = { idle: s.cyan, busy: s.green, offline: s.dim, hung: s.red };
  const rows = [["AGENT", "KIND", "ROLE", "STATUS", "SEEN", "TASKS", "LEASES", "WORKING ON"].map(s.dim)];
  for (const agent of agents) {
    rows.push([
      s.bold(agent.name),
      agent.kind,
      agent.role ?? "",
      colour[agent.status](agent.status),
      `${formatDuration(now - agent.lastSeenAt)} ago`,
      agent.tasks.join(",") || "-",
      agent.leases.join(",") || "-",
      agent.workingOn ?? "",
    ]);
  }
  return table(rows);
}

export function eventLine(event: BatonEvent, s: Style): string {
  return `${s.dim(`#${event.seq}`)} ${s.dim(when(event.at))} ${s.cyan(event.type)} ${event.summary}`;
}

function recipientText(message: Message): string {
  switch (message.kind) {
    case "channel":
      return `#${message.to}`;
    case "broadcast":
      return message.to ? `@${message.to}` : "everyone";
    case "escalation":
      return "humans";
    default:
      return message.to ?? "";
  }
}

export function messageLine(message: Message, s: Style): string {
  const to = recipientText(message);
  const flags = [message.urgent ? s.red("urgent") : "", message.replyTo ? s.dim(`re ${message.replyTo}`) : ""]
    .filter(Boolean)
    .join(" ");
  return `${s.dim(message.id)} ${s.dim(when(message.at))} ${s.bold(message.sender)} → ${to}${flags ? ` ${flags}` : ""}: ${message.body}`;
}

export function channelTable(channels: Channel[], s: Style): string {
  if (channels.length === 0) return s.dim("no channels yet: baton channel add #general");
  return table([
    ["CHANNEL", "MESSAGES", "TOPIC"].map(s.dim),
    ...channels.map((c) => [s.bold(`#${c.name}`), String(c.messages), c.topic ?? ""]),
  ]);
}

export function questionLine(q: Question, s: Style): string {
  const options = q.options ? s.dim(` [${q.options.map((o, i) => `${i + 1}. ${o}`).join("  ")}]`) : "";
  const about = q.task ? s.dim(` (${q.task})`) : "";
  const state =
    q.status === "open"
      ? s.yellow("open")
      : `${s.green("answered")} by ${q.answeredBy}: ${s.bold(q.answer ?? "")}`;
  return `${s.bold(q.id)} ${q.askedBy}${about}: ${q.text}${options} — ${state}`;
}

export function approvalLine(a: Approval, s: Style): string {
  const about = a.task ? s.dim(` (${a.task})`) : "";
  const state =
    a.status === "pending"
      ? s.yellow("pending")
      : `${a.status === "approved" ? s.green("approved") : s.red("rejected")} by ${a.decidedBy}${a.note ? `: ${a.note}` : ""}`;
  return `${s.bold(a.id)} ${a.requestedBy}${about}: ${a.action} — ${state}`;
}

export function reportLines(report: TaskReport, s: Style): string[] {
  const lines = [`  ${report.summary}`];
  const colour = { info: s.dim, low: s.cyan, medium: s.yellow, high: s.red, critical: s.red };
  for (const f of report.findings) {
    const where = f.file ? s.dim(` ${f.file}${f.line ? `:${f.line}` : ""}`) : "";
    lines.push(`  ${colour[f.severity](f.severity.padEnd(8))} ${f.description}${where}`);
  }
  const list = (name: string, items: string[]) => {
    if (items.length) lines.push(`  ${s.dim(name)} ${items.join(", ")}`);
  };
  list("recommended", report.recommendations);
  list("modified", report.filesModified);
  list("created", report.filesCreated);
  list("errors", report.errors);
  return lines;
}
