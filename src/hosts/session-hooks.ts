import { isPermissionApproval } from "../orchestrator/work/permission-broker.js";
import type { Workspace } from "../services/workspace.js";
import { chargeInteractiveTurn } from "./turn-cost.js";

/** The agent's current task and unread messages, for a new session's context. */
export async function sessionContext(ws: Workspace): Promise<string> {
  if (!ws.identity) {
    return "This repository is coordinated by baton, but this session has no agent name: set BATON_AGENT, or run `baton connect HOST --as NAME` in this worktree.";
  }
  const lines = [
    `You are ${ws.identity} in a team coordinated by baton (tools: get_project_info, claim_task, lock_files ...).`,
  ];
  const mine = (await ws.tasks.list({ mine: true })).filter((task) => task.holder === ws.identity);
  for (const task of mine)
    lines.push(
      `You hold ${task.id}: ${task.title}${task.body ? `\n${task.body}` : ""}\nFinish it with complete_task (or fail_task / release_task).`,
    );
  if (mine.length === 0) lines.push("You hold no task: claim one with claim_task before working.");
  const inbox = await ws.messages.inbox({ limit: 20 });
  if (inbox.messages.length > 0) {
    lines.push(`Unread messages (${inbox.messages.length + inbox.unread}); read them with get_messages:`);
    for (const m of inbox.messages) lines.push(`- ${m.id} from ${m.sender}: ${m.body.split("\n")[0]}`);
  }
  return lines.join("\n");
}

/**
 * The host's session started, past its first-run screens (a folder to trust, a
 * key to accept): the first word baton hears from an interactive host, so
 * `baton status` and `baton down` can tell it from one still asking the human.
 * A heartbeat, not an activity: a host started with a prompt begins a turn at
 * once, and an "idle" here had the supervisor type work into every agent of a
 * new team as it started on its first prompt (measured with Claude Code).
 */
export async function sessionStarted(ws: Workspace): Promise<void> {
  if (!ws.identity) return;
  await ws.agents.heartbeat({ keepLosses: true });
}

/**
 * The host stopped its turn: its cost goes to the ledger and the agent is idle
 * (its claims stay until they expire or it resumes), or waiting for a human
 * when the turn took it to a cost cap. Nobody reads a stop hook's answer, so what the agent
 * lost stays for the heartbeat of its next tool call to report.
 */
export async function sessionStopped(
  ws: Workspace,
  host: string,
  input: Record<string, unknown> = {},
): Promise<void> {
  if (!ws.identity) return;
  const held = (await ws.tasks.list({ mine: true })).find((task) => task.holder === ws.identity);
  await ws.agents.heartbeat({ workingOn: "", keepLosses: true });
  // A permission request still open belongs to the turn that just ended: it can never run now.
  const open = await ws.human.approvals({ open: true }).catch(() => []);
  for (const approval of open.filter((a) => isPermissionApproval(a, ws.identity!)))
    await ws.human.expire(approval.id, "its turn ended before a human decided").catch(() => undefined);
  // The turn's cost first: at a cap the agent is left waiting for a human, not idle.
  const cap = await chargeInteractiveTurn(ws, host, input, held?.id ?? null).catch(() => null);
  if (!cap) await ws.agents.reportActivity("idle", `${host}:${hostEvent(input, "Stop")}`);
}

/** The host's own name for the hook event (Gemini's AfterAgent is baton's stop), else `fallback`. */
function hostEvent(input: Record<string, unknown>, fallback: string): string {
  const name = input.hook_event_name;
  return typeof name === "string" && /^[A-Za-z]{1,40}$/.test(name) ? name : fallback;
}

/** Tools with which the agent turns to the human and waits (Claude Code's question and plan dialogs). */
export const ASKING_TOOLS = ["AskUserQuestion", "ExitPlanMode"];

/**
 * What a host's activity hooks say, as an activity with its signal: a prompt
 * submitted starts a turn (working); a notification that a permission or an
 * answer is needed, or a question or plan put to the human, means waiting; an
 * idle notification means idle. Anything else says nothing.
 */
export function activityOf(
  event: string,
  input: Record<string, unknown>,
  host: string,
): { state: "working" | "waiting" | "idle"; signal: string; detail?: string } | undefined {
  const text = (v: unknown) => (typeof v === "string" && v ? v.slice(0, 200) : undefined);
  if (event === "prompt")
    return { state: "working", signal: `${host}:${hostEvent(input, "UserPromptSubmit")}` };
  if (event === "notification") {
    const kind = text(input.notification_type);
    const signal = `${host}:Notification${kind ? `:${kind}` : ""}`;
    if (kind === "idle_prompt") return { state: "idle", signal };
    return { state: "waiting", signal, detail: text(input.message) };
  }
  if (event === "pre-edit" && ASKING_TOOLS.includes(String(input.tool_name)))
    return { state: "waiting", signal: `${host}:PreToolUse:${input.tool_name}` };
  return undefined;
}

/** Records an activity hook's word for the agent of this session; a hook without an agent says nothing. */
export async function reportHookActivity(
  ws: Workspace,
  event: string,
  input: Record<string, unknown>,
  host: string,
): Promise<void> {
  const activity = activityOf(event, input, host);
  if (!ws.identity || !activity) return;
  await ws.agents.reportActivity(activity.state, activity.signal, activity.detail);
}
