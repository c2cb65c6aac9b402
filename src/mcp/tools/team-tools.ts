import { z } from "zod";
import { TEXTS } from "../../domain/limits.js";
import type { McpSession } from "../session.js";
import { loadTeamOps } from "../team-ops.js";
import type { ToolRegistry } from "../tool-registry.js";

/** What a spawned agent looks like in a tool's answer: enough to talk to it and find it. */
function shown(agent: {
  name: string;
  host: string;
  role: string;
  branch: string | null;
  port: number;
  runPaneId: string | null;
  runProcess: unknown;
}) {
  return {
    name: agent.name,
    host: agent.host,
    role: agent.role,
    branch: agent.branch,
    port: agent.port,
    url: agent.runPaneId !== null || agent.runProcess !== null ? `http://127.0.0.1:${agent.port}` : null,
  };
}

const HOST = z
  .string()
  .min(1)
  .max(200)
  .describe("what it runs: claude, codex, gemini, pi, aider, sim (as team.allowed_hosts allows)");

/**
 * The team grows and shrinks from inside: a lead agent starts a teammate,
 * hands out work, and stops one, within the limits a human set in the config
 * (team.max_agents, team.allowed_hosts). The orchestrator is loaded on the
 * first such call only (team-ops.ts).
 */
export function registerTeamTools(tools: ToolRegistry, session: McpSession): void {
  const ws = session.ws;

  tools.add("spawn_agent", {
    title: "Start a teammate",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description:
      "Start one more agent in the running team (baton up): its own worktree and branch, ports, and a window, like every teammate. Give it a task (an open task id, assigned to it) or message it once it runs. fork: true starts a Claude Code teammate from a copy of your own Claude Code session. Returns {agent} with its name.",
    input: {
      host: HOST,
      role: z.string().max(TEXTS.role.max).optional().describe("its role (default developer)"),
      name: z
        .string()
        .max(64)
        .optional()
        .describe("its name (default: the host's next free one, e.g. claude-3)"),
      task: z.string().max(32).optional().describe("an open task id (T-12) to assign to it"),
      fork: z
        .boolean()
        .optional()
        .describe("start it from a copy of your Claude Code session (you and it: claude)"),
    },
    run: async (input) => {
      const { spawnAgent } = await loadTeamOps();
      return { agent: shown(await spawnAgent(ws, input)) };
    },
  });

  tools.add("stop_agent", {
    title: "Stop a teammate",
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
    description:
      "Ask a teammate to stop: it is told to finish its step and leave the team. If it has not left within timeout_s (default 60), baton ends its session and releases what it holds. It is never restarted. Returns at once with {agent, deadline}.",
    input: {
      agent: z.string().min(1).max(64),
      reason: z.string().max(500).optional().describe("why, in the request it reads"),
      timeout_s: z.number().int().min(0).max(3600).optional(),
    },
    run: async (input) => {
      const { requestStop } = await loadTeamOps();
      const asked = await requestStop(ws.hub, ws.root, input.agent, {
        by: session.agent,
        reason: input.reason,
        timeoutMs: input.timeout_s === undefined ? undefined : input.timeout_s * 1000,
      });
      return { ...asked, deadline: new Date(asked.deadline).toISOString() };
    },
  });

  tools.add("delegate", {
    title: "Hand out a task",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description:
      "Create a task and give it away in one call: to an agent (to), or to a new teammate started for it (host and/or role; host defaults to yours). Returns {task, to, spawned}.",
    input: {
      title: z.string().min(1).max(TEXTS.title.max),
      description: z.string().max(TEXTS.body.max).optional(),
      to: z.string().max(64).optional().describe("an agent's name"),
      host: HOST.optional(),
      role: z.string().max(TEXTS.role.max).optional(),
      priority: z.number().int().min(0).max(3).optional().describe("0 is the highest; default 2"),
      queue: z.string().max(64).optional(),
    },
    run: async (input) => (await loadTeamOps()).delegate(ws, input),
  });

  tools.add("leave_team", {
    title: "Leave the team",
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    description:
      "Leave the team: your task and file leases are released for others. Call it when baton asks you to stop (after finishing or releasing your task), then end your session.",
    input: {},
    run: async () => {
      const left = await ws.agents.leave();
      session.claim = null;
      // A stop baton asked for is confirmed by it (outside a team, there is none to confirm).
      const { confirmStop } = await loadTeamOps();
      let stopConfirmed = false;
      try {
        stopConfirmed = confirmStop(ws.root, session.agent);
      } catch {
        // no readable team record: nothing was asked
      }
      return { ...left, stopConfirmed };
    },
  });
}
