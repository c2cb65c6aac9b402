import { z } from "zod";
import { COUNTS, TEXTS } from "../../domain/limits.js";
import { readReportFileOrNull, reportSchema } from "../report-input.js";
import type { McpSession } from "../session.js";
import type { ToolRegistry } from "../tool-registry.js";

export function registerTaskTools(tools: ToolRegistry, session: McpSession): void {
  const ws = session.ws;

  tools.add("list_tasks", {
    title: "List tasks",
    annotations: { readOnlyHint: true },
    description:
      "List tasks on the team board. Use it to see what exists before creating a task, or with ready=true to see what you could claim now. Returns {tasks: [...]} with id, title, status, priority (0 highest), holder, dependsOn.",
    input: {
      status: z
        .array(z.enum(["open", "claimed", "done", "failed", "cancelled", "dead", "all"]))
        .max(COUNTS.statuses.max)
        .optional(),
      ready: z
        .boolean()
        .optional()
        .describe("only open tasks whose dependencies are done and that you may claim"),
      mine: z.boolean().optional().describe("only tasks you hold or that are assigned to you"),
      queue: z.string().max(64).optional(),
    },
    run: async (input) => ({ tasks: await ws.tasks.list(input) }),
  });

  tools.add("create_task", {
    title: "Create a task",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description:
      "Add a task to the board for someone (or yourself) to do. Keep the title short and put detail in body. Returns {task} with its id (e.g. T-12). Use after_ids for tasks that must be done first.",
    input: {
      title: z.string().min(1).max(TEXTS.title.max),
      body: z.string().max(TEXTS.body.max).optional(),
      priority: z.number().int().min(0).max(3).optional().describe("0 is the highest; default 2"),
      tags: z.array(z.string().max(64)).max(COUNTS.tags.max).optional(),
      after_ids: z.array(z.string().max(32)).max(COUNTS.dependencies.max).optional(),
      queue: z.string().max(64).optional(),
    },
    run: async (input) => ({
      task: await ws.tasks.add(input.title, {
        body: input.body,
        priority: input.priority,
        tags: input.tags,
        after: input.after_ids,
        queue: input.queue,
      }),
    }),
  });

  tools.add("claim_task", {
    title: "Claim a task",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description:
      "Claim a task before working on it, so no other agent does the same work. Without task_id you get the next ready task (highest priority, then oldest). You may hold one claim at a time; every tool call keeps it alive. Returns {task} or {task: null} when nothing is ready. After claiming, lock the files you will edit with lock_files.",
    input: {
      task_id: z.string().max(32).optional(),
      queue: z.string().max(64).optional(),
      tags: z.array(z.string().max(64)).max(COUNTS.tags.max).optional(),
    },
    run: (input) =>
      session.serial(async () => {
        session.requireNoClaim();
        const claim = await ws.tasks.claim(input.task_id, { queue: input.queue, tags: input.tags });
        if (claim.task && claim.token !== null) session.hold(claim.task.id, claim.token);
        return { task: claim.task };
      }),
  });

  tools.add("complete_task", {
    title: "Complete your task",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description:
      "Mark your claimed task done, with a one-line result and optionally a structured report. If it answers lease_lost, your claim expired or was taken: stop working on that task. If it answers gate_failed, a quality gate (e.g. the tests) refused: fix what it reports and call again.",
    input: {
      task_id: z.string().max(32).optional().describe("default: the task you hold"),
      result: z.string().max(TEXTS.result.max).optional(),
      report: reportSchema.optional(),
      report_file: z.string().max(1024).optional().describe("or a YAML/JSON report file in the repository"),
    },
    run: (input) =>
      session.serial(async () => {
        const id = session.taskOrClaim(input.task_id);
        const report = input.report ?? (await readReportFileOrNull(ws, input.report_file));
        const task = await session.finish(id, (token) =>
          ws.tasks.done(id, { result: input.result, report: report ?? undefined, token }),
        );
        return { task };
      }),
  });

  tools.add("fail_task", {
    title: "Give up your task",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description:
      "Give up on your claimed task, saying why. It goes back to the queue for another attempt (until its attempts run out). Use when you are blocked or the task cannot be done as written.",
    input: { task_id: z.string().max(32).optional(), reason: z.string().min(1).max(TEXTS.reason.max) },
    run: (input) =>
      session.serial(async () => {
        const id = session.taskOrClaim(input.task_id);
        const task = await session.finish(id, (token) => ws.tasks.fail(id, input.reason, { token }));
        return { task };
      }),
  });

  tools.add("release_task", {
    title: "Hand your task back",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description:
      "Hand your claimed task back to the queue without counting an attempt (you will not do it after all).",
    input: { task_id: z.string().max(32).optional() },
    run: (input) =>
      session.serial(async () => {
        const id = session.taskOrClaim(input.task_id);
        const task = await session.finish(id, (token) => ws.tasks.release(id, { token }));
        return { task };
      }),
  });
}
