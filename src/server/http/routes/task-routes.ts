import { z } from "zod";
import { COUNTS } from "../../../domain/limits.js";
import type { TaskStatus } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import { worktreeDiff } from "../../../orchestrator/worktrees/worktree-diff.js";
import { duration, flag, list, type Route, route } from "../route.js";
import { agentName, priority, queueName, tags, taskId, text, token } from "./fields.js";

const released = z.object({ token: token.optional() }).strict();

/** Tasks: the queue of work, claims with fencing tokens, and a task's life from added to done. */
export const TASK_ROUTES: Route[] = [
  route({
    method: "GET",
    path: "/tasks",
    operationId: "listTasks",
    summary: "List tasks (default: open and claimed)",
    tag: "tasks",
    query: z
      .object({
        status: list(COUNTS.statuses.max).optional().describe("comma-separated statuses, or all"),
        queue: queueName.optional(),
        ready: flag.describe("only open tasks whose dependencies are done"),
        mine: flag.describe("only tasks you hold or that are assigned to you"),
        assignee: agentName.optional(),
        cost: flag.describe("each task with what its agents' turns have cost so far"),
      })
      .strict(),
    run: async ({ ws, query: { cost, ...query } }) => {
      const tasks = await ws.tasks.list({
        ...query,
        status: query.status as (TaskStatus | "all")[] | undefined,
      });
      if (!cost) return { tasks };
      const totals = await ws.costs.totals({ agents: [], tasks: tasks.map((task) => task.id) });
      return { tasks: tasks.map((task) => ({ ...task, cost: totals.tasks[task.id] })) };
    },
  }),
  route({
    method: "POST",
    path: "/tasks",
    operationId: "addTask",
    summary: "Add a task",
    tag: "tasks",
    creates: true,
    body: z
      .object({
        title: text("title").min(1),
        body: text("body").optional(),
        queue: queueName.optional(),
        priority: priority.optional(),
        tags: tags.optional(),
        after: z.array(taskId).max(COUNTS.dependencies.max).optional(),
        assign: agentName.optional(),
        assignNew: z.boolean().optional(),
        planRequired: z.boolean().optional(),
      })
      .strict(),
    run: async ({ ws, body: { title, ...options } }) => ({ task: await ws.tasks.add(title, options) }),
  }),
  route({
    method: "POST",
    path: "/tasks/claim",
    operationId: "claimNextTask",
    summary: "Claim the next ready task (task null when none is ready)",
    tag: "tasks",
    body: z
      .object({ queue: queueName.optional(), tags: tags.optional(), ttl: duration("ttl").optional() })
      .strict(),
    run: async ({ ws, body }) =>
      ws.tasks.claim(undefined, { queue: body.queue, tags: body.tags, ttlMs: body.ttl }),
  }),
  route({
    method: "GET",
    path: "/tasks/{id}",
    operationId: "getTask",
    summary: "One task with its history",
    tag: "tasks",
    run: async ({ ws, params }) => ({ task: await ws.tasks.show(params.id!) }),
  }),
  route({
    method: "GET",
    path: "/tasks/{id}/diff",
    operationId: "taskDiff",
    summary:
      "The diff of the worktree of the agent holding the task (or that last held it): committed since it left the main checkout, and not committed yet; cut at 512 kB",
    tag: "tasks",
    run: async ({ ws, params }) => {
      const task = await ws.tasks.show(params.id!);
      const claims = task.history.filter((e) => e.type === "task.claimed");
      const agent = task.holder ?? claims[claims.length - 1]?.actor;
      if (!agent)
        throw new BatonError(
          "not_found",
          `nobody has held ${task.id} yet: there is no worktree to show`,
          "its diff is there once an agent claims it",
          { id: task.id },
        );
      return { task: task.id, diff: await worktreeDiff(ws.root, agent) };
    },
  }),
  route({
    method: "PATCH",
    path: "/tasks/{id}",
    operationId: "editTask",
    summary: "Change an unfinished task's title, body, priority or tags",
    tag: "tasks",
    body: z
      .object({
        title: text("title").min(1).optional(),
        body: text("body").optional(),
        priority: priority.optional(),
        addTags: tags.optional(),
        removeTags: tags.optional(),
      })
      .strict(),
    run: async ({ ws, params, body }) => ({ task: await ws.tasks.edit(params.id!, body) }),
  }),
  route({
    method: "POST",
    path: "/tasks/{id}/claim",
    operationId: "claimTask",
    summary: "Claim this task",
    tag: "tasks",
    body: z.object({ ttl: duration("ttl").optional() }).strict(),
    run: async ({ ws, params, body }) => ws.tasks.claim(params.id!, { ttlMs: body.ttl }),
  }),
  route({
    method: "POST",
    path: "/tasks/{id}/complete",
    operationId: "completeTask",
    summary: "Complete a task you hold",
    tag: "tasks",
    body: z
      .object({
        result: text("result").optional(),
        token: token.optional(),
        report: z
          .record(z.string(), z.unknown())
          .optional()
          .describe("a task report: summary, findings, ..."),
      })
      .strict(),
    run: async ({ ws, params, body }) => ({
      // The report's shape is checked by the service, as a report file's is.
      task: await ws.tasks.done(params.id!, body as Parameters<typeof ws.tasks.done>[1]),
    }),
  }),
  route({
    method: "POST",
    path: "/tasks/{id}/fail",
    operationId: "failTask",
    summary: "Give up a task you hold, saying why",
    tag: "tasks",
    body: z.object({ reason: text("reason").min(1), token: token.optional() }).strict(),
    run: async ({ ws, params, body }) => ({
      task: await ws.tasks.fail(params.id!, body.reason, { token: body.token }),
    }),
  }),
  route({
    method: "POST",
    path: "/tasks/{id}/release",
    operationId: "releaseTask",
    summary: "Put a task you hold back in its queue",
    tag: "tasks",
    body: released,
    run: async ({ ws, params, body }) => ({ task: await ws.tasks.release(params.id!, body) }),
  }),
  route({
    method: "POST",
    path: "/tasks/{id}/assign",
    operationId: "assignTask",
    summary: "Assign a task to an agent (null: unassign)",
    tag: "tasks",
    body: z.object({ agent: agentName.nullable(), allowUnknown: z.boolean().optional() }).strict(),
    run: async ({ ws, params, body }) => ({
      task: await ws.tasks.assign(params.id!, body.agent, { allowUnknown: body.allowUnknown }),
    }),
  }),
  route({
    method: "POST",
    path: "/tasks/{id}/cancel",
    operationId: "cancelTask",
    summary: "Cancel a task",
    tag: "tasks",
    body: z.object({ reason: text("reason").optional(), ifToken: token.nullable().optional() }).strict(),
    run: async ({ ws, params, body }) => ({
      task: await ws.tasks.cancel(params.id!, body.reason, { ifToken: body.ifToken }),
    }),
  }),
  route({
    method: "POST",
    path: "/tasks/{id}/reopen",
    operationId: "reopenTask",
    summary: "Put a finished task back in its queue (a done one only by a human)",
    tag: "tasks",
    body: z.object({ reason: text("reason").optional() }).strict(),
    run: async ({ ws, params, body }) => ({ task: await ws.tasks.reopen(params.id!, body.reason) }),
  }),
  route({
    method: "POST",
    path: "/tasks/{id}/dependencies",
    operationId: "addDependency",
    summary: "Make a task wait for another",
    tag: "tasks",
    body: z.object({ dependsOn: taskId }).strict(),
    run: async ({ ws, params, body }) => ({ task: await ws.tasks.addDependency(params.id!, body.dependsOn) }),
  }),
  route({
    method: "DELETE",
    path: "/tasks/{id}/dependencies/{dependsOn}",
    operationId: "removeDependency",
    summary: "Stop a task waiting for another",
    tag: "tasks",
    run: async ({ ws, params }) => ({ task: await ws.tasks.removeDependency(params.id!, params.dependsOn!) }),
  }),
  route({
    method: "POST",
    path: "/tasks/{id}/remarks",
    operationId: "amendTask",
    summary: "Add a remark to a task's history",
    tag: "tasks",
    body: z.object({ remark: text("remark").min(1) }).strict(),
    run: async ({ ws, params, body }) => ({ task: await ws.tasks.amend(params.id!, body.remark) }),
  }),
  route({
    method: "POST",
    path: "/tasks/{id}/escalate",
    operationId: "escalateTask",
    summary: "Send a task, its history and its holder to every human",
    tag: "tasks",
    creates: true,
    body: z.object({ reason: text("reason").optional() }).strict(),
    run: async ({ ws, params, body }) => ({ escalation: await ws.tasks.escalate(params.id!, body.reason) }),
  }),
];
