import type { Command } from "commander";
import { DURATIONS } from "../../domain/limits.js";
import { parseTaskId } from "../../domain/task-rules.js";
import { BatonError, clip } from "../../errors.js";
import { parseDuration } from "../../util/duration.js";
import { action, limitOption, withRange } from "../context.js";
import { eventLine } from "../format.js";

/** `--since` takes a duration back from now (`2h`) or a date/time (`2026-11-21`, ISO). */
export function parseSince(text: string, now: number): number {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = Date.parse(text);
    if (Number.isNaN(at))
      throw new BatonError(
        "invalid_input",
        `bad date '${clip(text)}'`,
        "use 2026-11-21 or 2026-11-21T09:30:00Z",
      );
    return at;
  }
  return now - parseDuration(text, "--since", DURATIONS.since);
}

export function registerLogCommands(program: Command): void {
  const log = program
    .command("log")
    .description("the event log: every change, who made it and when")
    .option("--agent <name>", "only this agent's actions")
    .option("--type <type>", "only this type (task.claimed), or a family (task.)")
    .option("--task <id>", "only events about this task")
    .option("--since <when>", withRange("a duration back (2h, 30m) or a date (2026-11-21)", "since"))
    .option("--limit <n>", "the newest N events (1 to 10000)", limitOption("--limit"), 200)
    .action(
      action(
        async (ctx, o: { agent?: string; type?: string; task?: string; since?: string; limit: number }) => {
          const limit = o.limit;
          const events = await (await ctx.workspace()).log.list({
            actor: o.agent,
            type: o.type,
            subject: o.task ? parseTaskId(o.task) : undefined,
            sinceMs: o.since ? parseSince(o.since, ctx.now()) : undefined,
            limit,
          });
          ctx.out.result({ events }, () =>
            events.length
              ? events.map((e) => eventLine(e, ctx.out.style))
              : ctx.out.style.dim("no events match"),
          );
        },
      ),
    );

  log
    .command("write")
    .description("record a decision or note in the log")
    .argument("<type>", "decision, note, or any dotted lowercase name")
    .argument("<summary>")
    .action(
      action(async (ctx, type: string, summary: string) => {
        const event = await (await ctx.workspace()).log.write(type, summary);
        ctx.out.result({ event }, () => eventLine(event, ctx.out.style));
      }),
    );
}
