import type { McpSession } from "../session.js";
import type { ToolRegistry } from "../tool-registry.js";

export function registerProjectTools(tools: ToolRegistry, session: McpSession): void {
  const ws = session.ws;
  tools.add("get_project_info", {
    title: "Project, team and your work",
    annotations: { readOnlyHint: true },
    description:
      "Start here: who you are in the team, the task you hold, your unread messages, what is ready to claim, and the team's queues and rules. Call it at the start of a session and whenever you lose track.",
    input: {},
    run: async () => {
      const [ready, mine, agents, inbox, questions] = await Promise.all([
        ws.tasks.list({ ready: true }),
        ws.tasks.list({ mine: true }),
        ws.agents.list(),
        ws.messages.inbox({ limit: 20 }),
        ws.human.questions({ open: true }),
      ]);
      return {
        you: session.agent,
        root: ws.root,
        claim: session.claim ? (mine.find((task) => task.id === session.claim!.id) ?? null) : null,
        assignedOrHeld: mine,
        unreadMessages: inbox.messages.length + inbox.unread,
        readyTasks: ready.slice(0, 20),
        team: agents.map((a) => ({
          name: a.name,
          kind: a.kind,
          role: a.role,
          status: a.status,
          tasks: a.tasks,
          workingOn: a.workingOn,
        })),
        openQuestionsToHuman: questions.length,
        queues: Object.values(ws.config.queues),
        rules: [
          "claim a task before working on it (claim_task); one at a time",
          "lock the files you edit (lock_files) and unlock them when done",
          "ask the human when unsure (chat_with_human) rather than guess",
          "finish with complete_task (with a report), or fail_task / release_task",
        ],
      };
    },
  });
}
