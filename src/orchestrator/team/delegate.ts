import type { Task } from "../../domain/types.js";
import { BatonError } from "../../errors.js";
import type { Workspace } from "../../services/workspace.js";
import { recordTeamEvent } from "../supervisor/team-event.js";
import { askedBy, spawnAgent } from "./spawn-agent.js";
import { checkSpawn } from "./spawn-rules.js";
import { requireTeam } from "./team-lookup.js";

export interface DelegateRequest {
  title: string;
  description?: string;
  /** An agent to give it to. */
  to?: string;
  /** Or a new teammate to start for it: what it runs, and its role. */
  host?: string;
  role?: string;
  priority?: number;
  queue?: string;
}

export interface Delegated {
  task: Task;
  /** Who has it. */
  to: string;
  /** Whether a teammate was started for it. */
  spawned: boolean;
}

/**
 * A task made and given in one call: to an agent already there (`to`), or to
 * a teammate started for it (`host` and/or `role`; the host defaults to the
 * caller's own). The team's limits are checked before the task exists, so a
 * refused spawn leaves no stray task; one that fails later leaves the task
 * unassigned, for anyone to claim. Recorded as team.delegated, with who asked.
 */
export async function delegate(ws: Workspace, request: DelegateRequest): Promise<Delegated> {
  const by = askedBy(ws);
  const spawn = request.host !== undefined || request.role !== undefined;
  if (spawn === (request.to !== undefined))
    throw new BatonError(
      "usage",
      spawn
        ? "delegate to an agent (to) or to a new teammate (host, role), not both"
        : "delegate needs someone to give the task to",
      {
        cli: "pass --to AGENT, or --host/--role to start a teammate for it",
        tool: "pass to (an agent's name), or host and/or role to start a new teammate for it",
      },
    );
  const details = { body: request.description, priority: request.priority, queue: request.queue };
  if (!spawn) {
    const task = await ws.tasks.add(request.title, { ...details, assign: request.to });
    await recordTeamEvent(ws.hub, request.to!, "team.delegated", `${by} gave ${task.id} to ${request.to}`, {
      task: task.id,
      to: request.to,
      by,
      spawned: false,
    });
    return { task, to: request.to!, spawned: false };
  }
  const record = requireTeam(ws.root);
  const host = request.host ?? record.agents.find((a) => a.name === by)?.host;
  if (!host || host === "command")
    throw new BatonError("usage", "which host should the new teammate run?", {
      cli: "pass --host (claude, codex, gemini, pi, aider, sim)",
      tool: "pass host (claude, codex, gemini, pi, aider, sim)",
    });
  checkSpawn(record, ws.config.team, host);
  let task: Task | undefined;
  try {
    const agent = await spawnAgent(ws, {
      host,
      role: request.role,
      taskFor: async (name) => {
        task = await ws.tasks.add(request.title, { ...details, assign: name, assignNew: true });
        return task;
      },
    });
    await recordTeamEvent(
      ws.hub,
      agent.name,
      "team.delegated",
      `${by} gave ${task!.id} to ${agent.name}, started for it`,
      {
        task: task!.id,
        to: agent.name,
        by,
        spawned: true,
      },
    );
    return { task: await ws.tasks.show(task!.id), to: agent.name, spawned: true };
  } catch (error) {
    if (task) await ws.tasks.assign(task.id, null).catch(() => undefined);
    throw error;
  }
}
