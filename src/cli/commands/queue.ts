import type { Command } from "commander";
import { formatDuration } from "../../util/duration.js";
import { action } from "../context.js";
import { table } from "../style.js";

export function registerQueueCommands(program: Command): void {
  const queue = program
    .command("queue")
    .description("queues: handler role, SLA, what is overdue, what is blocked");

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
            table([
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
            ]),
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
