import { type Command, Option } from "commander";
import type { ClaimPolicy, QueueConfig } from "../../domain/config.js";
import type { QueueChange, QueueSettings } from "../../services/queue-service.js";
import { formatDuration } from "../../util/duration.js";
import { action, type CliContext, durationOption } from "../context.js";
import { table } from "../style.js";

interface QueueFlags {
  prefix?: string;
  /** false: --no-handler */
  handler?: string | false;
  /** false: --no-sla */
  sla?: number | false;
  claimPolicy?: ClaimPolicy;
  default?: boolean;
}

function settingsFrom(o: QueueFlags): QueueSettings {
  return {
    prefix: o.prefix,
    handler: o.handler === false ? null : o.handler,
    slaMs: o.sla === false ? null : o.sla,
    claimPolicy: o.claimPolicy,
    makeDefault: o.default || undefined,
  };
}

function describeQueue(queue: QueueConfig): string {
  const sla = queue.slaMinutes === null ? "no SLA" : `SLA ${formatDuration(queue.slaMinutes * 60_000)}`;
  return `prefix ${queue.prefix}, handler ${queue.handler ?? "none"}, ${sla}, claim policy ${queue.claimPolicy}`;
}

function printChange(ctx: CliContext, verb: string, change: QueueChange): void {
  const s = ctx.out.style;
  ctx.out.result({ ...change }, () => [
    change.changed || ctx.globals.dryRun
      ? `${verb} queue ${s.bold(change.queue.name)} (${describeQueue(change.queue)})`
      : `queue ${s.bold(change.queue.name)} already reads so: nothing changed`,
    ...(change.defaultQueue === change.queue.name
      ? [s.dim(`${change.queue.name} is the default queue`)]
      : []),
  ]);
}

const claimPolicy = () =>
  new Option("--claim-policy <policy>", "who may claim: open (anyone) or handler-only").choices([
    "open",
    "handler-only",
  ]);

export function registerQueueCommands(program: Command): void {
  const queue = program
    .command("queue")
    .description("queues: handler role, SLA, what is overdue, what is blocked");

  queue
    .command("add")
    .description("add a queue to .baton/config.json (its comments and layout are kept)")
    .argument("<name>", "lowercase letters, digits, _ and -")
    .requiredOption("--prefix <prefix>", "task id prefix, capital letters: BUG gives BUG-1, BUG-2 ...")
    .option("--handler <role>", "the role that handles it")
    .option("--sla <duration>", "how soon a task should be done once added", durationOption("--sla", "sla"))
    .addOption(claimPolicy())
    .option("--default", "make it the queue baton task add uses when none is named")
    .action(
      action(async (ctx, name: string, o: QueueFlags) => {
        printChange(ctx, "added", await (await ctx.workspace()).queues.add(name, settingsFrom(o)));
      }),
    );

  queue
    .command("edit")
    .description("change a queue's prefix, handler, SLA or claim policy, or make it the default")
    .argument("<name>")
    .option("--prefix <prefix>", "new task ids get this prefix; existing ids keep theirs")
    .option("--handler <role>", "the role that handles it")
    .option("--no-handler", "no handler role")
    .option("--sla <duration>", "how soon a task should be done once added", durationOption("--sla", "sla"))
    .option("--no-sla", "no SLA")
    .addOption(claimPolicy())
    .option("--default", "make it the queue baton task add uses when none is named")
    .action(
      action(async (ctx, name: string, o: QueueFlags) => {
        printChange(ctx, "changed", await (await ctx.workspace()).queues.edit(name, settingsFrom(o)));
      }),
    );

  queue
    .command("rm")
    .description("remove a queue that holds no unfinished task and is not the default")
    .argument("<name>")
    .action(
      action(async (ctx, name: string) => {
        const change = await (await ctx.workspace()).queues.remove(name);
        ctx.out.result({ ...change }, () => `removed queue ${ctx.out.style.bold(change.queue.name)}`);
      }),
    );

  queue
    .command("check")
    .description("tasks per status in each queue, and the overdue ones")
    .argument("[queue]", "one queue (default: all)")
    .option("--overdue", "only queues with overdue tasks")
    .action(
      action(async (ctx, name: string | undefined, o: { overdue?: boolean }) => {
        const reports = await (await ctx.workspace()).queues.check({ queue: name, overdueOnly: o.overdue });
        const s = ctx.out.style;
        const now = ctx.now();
        ctx.out.result({ queues: reports }, () => {
          if (reports.length === 0) return s.green("nothing is overdue");
          const lines = [
            table(
              [
                ["QUEUE", "PREFIX", "HANDLER", "SLA", "POLICY", "OPEN", "CLAIMED", "DONE", "OVERDUE"].map(
                  s.dim,
                ),
                ...reports.map((r) => [
                  s.bold(r.queue),
                  r.prefix,
                  r.handler ?? "-",
                  r.slaMinutes === null ? "-" : `${r.slaMinutes}m`,
                  r.claimPolicy,
                  String(r.counts.open),
                  String(r.counts.claimed),
                  String(r.counts.done),
                  r.overdue.length ? s.red(String(r.overdue.length)) : "0",
                ]),
              ],
              s.columns,
              [4, 1, 6, 7],
            ),
          ];
          for (const r of reports) {
            for (const task of r.overdue) {
              lines.push(
                `${s.red("overdue")} ${s.bold(task.id)} by ${formatDuration(now - task.dueAt!)}: ${task.title}${task.holder ? ` (held by ${task.holder})` : ""}`,
              );
            }
          }
          return lines;
        });
      }),
    );

  queue
    .command("blockers")
    .description("open tasks waiting on unfinished dependencies, and what each waits on")
    .action(
      action(async (ctx) => {
        const blockers = await (await ctx.workspace()).queues.blockers();
        const s = ctx.out.style;
        ctx.out.result({ blockers }, () =>
          blockers.length
            ? blockers.map(
                (b) =>
                  `${s.bold(b.task.id)} ${b.task.title} ${s.dim("waits on")} ${b.waitingOn
                    .map((w) => `${w.id} (${w.status}${w.holder ? `, ${w.holder}` : ""})`)
                    .join(", ")}`,
              )
            : s.green("nothing is blocked"),
        );
      }),
    );
}
