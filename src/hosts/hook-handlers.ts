import { isAbsolute, relative } from "node:path";
import type { Workspace } from "../services/workspace.js";
import { formatDuration } from "../util/duration.js";

/**
 * Claude Code hook handlers. Each takes the host's hook JSON (any shape: a
 * field that is missing or odd means "nothing to do", never a crash) and
 * returns the JSON to print, or null to print nothing.
 */

type HookInput = Record<string, unknown>;

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** The file an Edit, Write or MultiEdit call is about to change, if the input names one. */
function editedFile(input: HookInput): string | undefined {
  const toolInput = input.tool_input;
  if (typeof toolInput !== "object" || toolInput === null) return undefined;
  const t = toolInput as Record<string, unknown>;
  return str(t.file_path) ?? str(t.path) ?? str(t.notebook_path);
}

/** Denies an edit of a file another agent holds a lease on, with the host's JSON deny decision. */
export async function preEdit(ws: Workspace, input: HookInput): Promise<object | null> {
  const file = editedFile(input);
  if (!file) return null;
  const cwd = str(input.cwd) ?? process.cwd();
  const absolute = isAbsolute(file) ? file : `${cwd}/${file}`;
  const rel = relative(ws.root, absolute);
  if (rel.startsWith("..") || isAbsolute(rel)) return null; // outside the workspace: not ours to guard
  let leases: Awaited<ReturnType<Workspace["leases"]["check"]>>;
  try {
    leases = await ws.leases.check(absolute);
  } catch {
    return null;
  }
  const others = leases.filter((lease) => lease.holder !== ws.identity && lease.exclusive);
  if (others.length === 0) return null;
  const held = others[0]!;
  const reason =
    `${rel} is locked by ${held.holder}${held.intent ? ` (${held.intent})` : ""} for ${formatDuration(held.expiresAt - Date.now())} more. ` +
    `Work on something else, or ask them: send_message to ${held.holder}. Lock files before editing them (lock_files) to avoid this.`;
  return {
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: reason,
    },
  };
}

/** Puts the agent's current task and unread messages into the new session's context. */
export async function sessionStart(ws: Workspace): Promise<object> {
  const lines = [
    `You are ${ws.identity} in a team coordinated by baton (tools: get_project_info, claim_task, lock_files ...).`,
  ];
  const mine = (await ws.tasks.list({ mine: true })).filter((task) => task.holder === ws.identity);
  for (const task of mine)
    lines.push(`You hold ${task.id}: ${task.title}${task.body ? `\n${task.body}` : ""}`);
  if (mine.length === 0) lines.push("You hold no task: claim one with claim_task before working.");
  const inbox = await ws.messages.inbox({ limit: 20 });
  if (inbox.messages.length > 0) {
    lines.push(`Unread messages (${inbox.messages.length + inbox.unread}); read them with get_messages:`);
    for (const m of inbox.messages) lines.push(`- ${m.id} from ${m.sender}: ${m.body.split("\n")[0]}`);
  }
  return { hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: lines.join("\n") } };
}

/** The host stopped: the agent is idle (its claims stay until they expire or it resumes). */
export async function stop(ws: Workspace): Promise<null> {
  await ws.agents.heartbeat({ workingOn: "" });
  return null;
}
