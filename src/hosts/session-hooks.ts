import type { Workspace } from "../services/workspace.js";

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
 * The host stopped its turn: the agent is idle (its claims stay until they
 * expire or it resumes). Nobody reads a stop hook's answer, so what the agent
 * lost stays for the heartbeat of its next tool call to report.
 */
export async function sessionStopped(ws: Workspace): Promise<void> {
  if (ws.identity) await ws.agents.heartbeat({ workingOn: "", keepLosses: true });
}
