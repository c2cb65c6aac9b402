import type { Command } from "commander";
import { formatDuration } from "../../util/duration.js";
import { readReportFile } from "../../workspace/report-file.js";
import { confirm, declined } from "../confirm.js";
import { action, collect, durationOption, tokenOption, withRange } from "../context.js";
import { taskDetail, taskLine, taskTable } from "../format.js";
import { registerTaskEditCommands } from "./task-edit.js";

export function registerTaskCommands(program: Command): void {
  const task = program.command("task").description("add, find, claim and finish tasks");

  task
    .command("add")
    .description("add a task to a queue")
    .argument("<title>", "a short title; put the detail in --body")
    .option("--body <text>", "longer description")
    .option("--queue <name>", "queue from .baton/config.json (default: its default_queue)")
    .option("--priority <0-3>", "0 is the highest", "2")
    .option("--tag <tag>", "a tag; repeat or comma-separate for more", collect, [])
    .option("--after <ids>", "tasks that must be done first, comma-separated", collect, [])
    .option("--assign <agent>", "reserve the task for one agent")
    .option("--new", "with --assign: the agent has not joined yet (an unknown name is otherwise refused)")
    .option("--plan-required", "its holder must get a plan approved by a human before completing it")
    .action(
      action(
        async (
          ctx,
          title: string,
          o: {
            body?: string;
            queue?: string;
            priority: string;
            tag: string[];
            after: string[];
            assign?: string;
            new?: boolean;
            planRequired?: boolean;
          },
        ) => {
          const ws = await ctx.workspace();
          const added = await ws.tasks.add(title, {
            body: o.body,
            queue: o.queue,
            priority: o.priority,
            tags: o.tag,
            after: o.after,
            assign: o.assign,
            assignNew: o.new,
            planRequired: o.planRequired,
          });
          ctx.out.result({ task: added }, () => `added ${taskLine(added, ctx.out.style)}`);
        },
      ),
    );

  task
    .command("list")
    .description("list tasks (default: open and claimed)")
    .option(
      "--status <status>",
      "open, claimed, done, failed, cancelled, dead or all; repeatable",
      collect,
      [],
    )
    .option("--queue <name>", "only this queue")
    .option("--ready", "only tasks you could claim now (open, dependencies done)")
    .option("--mine", "only tasks you hold or that are assigned to you")
    .option("--assignee <agent>", "only tasks held by or assigned to this agent")
    .action(
      action(
        async (
          ctx,
          o: { status: string[]; queue?: string; ready?: boolean; mine?: boolean; assignee?: string },
        ) => {
          const ws = await ctx.workspace();
          const tasks = await ws.tasks.list({
            status: o.status as never,
            queue: o.queue,
            ready: o.ready,
            mine: o.mine,
            assignee: o.assignee,
          });
          ctx.out.result({ tasks }, () => taskTable(tasks, ctx.out.style, ctx.now()));
        },
      ),
    );

  task
    .command("show")
    .description("a task with its dependencies, what it blocks, remarks and history")
    .argument("<id>")
    .action(
      action(async (ctx, id: string) => {
        const detail = await (await ctx.workspace()).tasks.show(id);
        ctx.out.result({ task: detail }, () => taskDetail(detail, ctx.out.style, ctx.now()));
      }),
    );

  task
    .command("claim")
    .description("claim a task: the one named, or the next ready one (highest priority, then oldest)")
    .argument("[id]")
    .option("--queue <name>", "pick from this queue only")
    .option("--tag <tag>", "pick only tasks with this tag; repeatable", collect, [])
    .option(
      "--ttl <duration>",
      withRange("how long the claim lives without a heartbeat (default: claim_ttl)", "ttl"),
      durationOption("--ttl", "ttl"),
    )
    .addHelpText(
      "after",
      `
The claim is a lease: \`baton heartbeat\` renews it; if you go silent past its TTL the
task returns to the queue. Keep the printed token: \`done|fail|release --token N\` is
refused once a newer claim exists.`,
    )
    .action(
      action(async (ctx, id: string | undefined, o: { queue?: string; tag: string[]; ttl?: number }) => {
        const ws = await ctx.workspace();
        const claim = await ws.tasks.claim(id, { queue: o.queue, tags: o.tag, ttlMs: o.ttl });
        ctx.out.result({ task: claim.task, token: claim.token }, () =>
          claim.task
            ? [
                `${claim.renewed ? "renewed" : "claimed"} ${taskLine(claim.task, ctx.out.style)}`,
                ctx.out.style.dim(
                  `token ${claim.token}; the claim ends in ${formatDuration(claim.task.claimExpiresAt! - ctx.now())} unless renewed (baton heartbeat)`,
                ),
              ]
            : ctx.out.style.dim("no task is ready for you (see baton task list)"),
        );
      }),
    );

  task
    .command("done")
    .description("complete a task you hold")
    .argument("<id>")
    .option("--result <text>", "what came of it: a commit, a link, a sentence")
    .option("--token <n>", "the claim's token; refused if the claim was lost", tokenOption)
    .option("--report <file>", "a structured report file inside the repository, YAML or JSON (see below)")
    .addHelpText(
      "after",
      `
A report has a summary and, optionally, findings (description, severity info|low|medium|high|critical,
file, line), recommendations, files_modified, files_created and errors:

  summary: Fixed the login redirect
  findings:
    - { description: Session cookie lacked SameSite, severity: medium, file: src/auth/session.ts, line: 42 }
  files_modified: [src/auth/session.ts]`,
    )
    .action(
      action(async (ctx, id: string, o: { result?: string; token?: number; report?: string }) => {
        const ws = await ctx.workspace();
        const report = o.report ? await readReportFile(o.report, ws.paths) : undefined;
        const done = await ws.tasks.done(id, {
          result: o.result,
          token: o.token,
          report,
        });
        ctx.out.result({ task: done }, () => `completed ${taskLine(done, ctx.out.style)}`);
      }),
    );

  task
    .command("fail")
    .description("give up on a task you hold; it goes back to the queue until its attempts run out")
    .argument("<id>")
    .requiredOption("--reason <text>", "what went wrong, for the next one who tries")
    .option("--token <n>", "the claim's token", tokenOption)
    .action(
      action(async (ctx, id: string, o: { reason: string; token?: number }) => {
        const failed = await (await ctx.workspace()).tasks.fail(id, o.reason, o);
        ctx.out.result({ task: failed }, () =>
          failed.status === "failed"
            ? `failed ${taskLine(failed, ctx.out.style)} (no attempts left)`
            : `back to the queue: ${taskLine(failed, ctx.out.style)} (attempt ${failed.attempts} of ${failed.maxAttempts})`,
        );
      }),
    );

  task
    .command("release")
    .description("hand a task you hold back to the queue, no attempt counted")
    .argument("<id>")
    .option("--token <n>", "the claim's token", tokenOption)
    .action(
      action(async (ctx, id: string, o: { token?: number }) => {
        const released = await (await ctx.workspace()).tasks.release(id, o);
        ctx.out.result({ task: released }, () => `released ${taskLine(released, ctx.out.style)}`);
      }),
    );

  task
    .command("assign")
    .description("reserve a task for an agent (only they can claim it)")
    .argument("<id>")
    .argument("<agent>")
    .option("--new", "the agent has not joined yet (an unknown name is otherwise refused)")
    .action(
      action(async (ctx, id: string, agent: string, o: { new?: boolean }) => {
        const assigned = await (await ctx.workspace()).tasks.assign(id, agent, { allowUnknown: o.new });
        ctx.out.result({ task: assigned }, () => `${assigned.id} is assigned to ${assigned.assignee}`);
      }),
    );

  task
    .command("unassign")
    .description("open a task to everyone again")
    .argument("<id>")
    .action(
      action(async (ctx, id: string) => {
        const task = await (await ctx.workspace()).tasks.assign(id, null);
        ctx.out.result({ task }, () => `${task.id} is open to everyone`);
      }),
    );

  const dep = task.command("dep").description("add or remove a dependency between tasks");
  dep
    .command("add")
    .description("make ID wait until DEPENDENCY is done")
    .argument("<id>")
    .argument("<dependency>")
    .action(
      action(async (ctx, id: string, dependency: string) => {
        const updated = await (await ctx.workspace()).tasks.addDependency(id, dependency);
        ctx.out.result({ task: updated }, () => `${updated.id} waits on ${updated.dependsOn.join(", ")}`);
      }),
    );
  dep
    .command("rm")
    .description("remove a dependency")
    .argument("<id>")
    .argument("<dependency>")
    .action(
      action(async (ctx, id: string, dependency: string) => {
        const updated = await (await ctx.workspace()).tasks.removeDependency(id, dependency);
        ctx.out.result({ task: updated }, () =>
          updated.dependsOn.length
            ? `${updated.id} waits on ${updated.dependsOn.join(", ")}`
            : `${updated.id} waits on nothing`,
        );
      }),
    );

  task
    .command("amend")
    .description("add a remark to a task (a change of scope, a finding, a pointer)")
    .argument("<id>")
    .argument("<remark>")
    .action(
      action(async (ctx, id: string, remark: string) => {
        const detail = await (await ctx.workspace()).tasks.amend(id, remark);
        ctx.out.result({ task: detail }, () => `noted on ${detail.id}`);
      }),
    );

  task
    .command("escalate")
    .description("send the task, its history and its holder to every human's inbox")
    .argument("<id>")
    .option("--reason <text>", "what the human should know")
    .action(
      action(async (ctx, id: string, o: { reason?: string }) => {
        const escalation = await (await ctx.workspace()).tasks.escalate(id, o.reason);
        ctx.out.result(
          { escalation },
          () => `escalated ${escalation.task} as ${escalation.id} (message ${escalation.message})`,
        );
      }),
    );

  task
    .command("cancel")
    .description("cancel a task that is not finished; asks first on a terminal if another agent holds it")
    .argument("<id>")
    .option("--reason <text>", "why")
    .option("--yes", "cancel another's claim without asking (needed in scripts and with --json)")
    .action(
      action(async (ctx, id: string, o: { reason?: string; yes?: boolean }) => {
        const ws = await ctx.workspace();
        const seen = await ws.tasks.show(id);
        if (seen.status === "claimed" && seen.holder !== ws.identity) {
          const ok = await confirm(ctx, {
            command: "task cancel",
            yes: o.yes,
            question: `Cancel ${seen.id} "${seen.title}", held by ${seen.holder} (token ${seen.token})?`,
          });
          if (!ok) return declined(ctx);
        }
        // What was confirmed is what is cancelled: a claim made since is refused, not cancelled.
        const cancelled = await ws.tasks.cancel(id, o.reason, { ifToken: seen.token });
        ctx.out.result({ task: cancelled }, () => `cancelled ${taskLine(cancelled, ctx.out.style)}`);
      }),
    );

  registerTaskEditCommands(task);
}
