import type { Command } from "commander";
import { action } from "../context.js";

export function registerSummaryCommands(program: Command): void {
  const summary = program
    .command("summary")
    .description("the daily summary: open the round, every agent writes, collect one report");

  summary
    .command("trigger")
    .description("open today's round (again: no change)")
    .option("--date <day>", "another day, YYYY-MM-DD")
    .action(
      action(async (ctx, o: { date?: string }) => {
        const { round, created } = await (await ctx.workspace()).summary.trigger(o.date);
        ctx.out.result({ round, created }, () =>
          created ? `opened the summary for ${round.day}` : `the summary for ${round.day} was already open`,
        );
      }),
    );

  summary
    .command("write")
    .description("write your entry for today (writing again replaces it)")
    .argument("<text>")
    .option("--date <day>", "another day, YYYY-MM-DD")
    .action(
      action(async (ctx, text: string, o: { date?: string }) => {
        const round = await (await ctx.workspace()).summary.write(text, o.date);
        ctx.out.result({ round }, () => `written for ${round.day} (${round.entries.length} entries so far)`);
      }),
    );

  summary
    .command("status")
    .description("who has written the day's entry and who has not yet")
    .argument("[date]", "YYYY-MM-DD (default: today)")
    .action(
      action(async (ctx, date?: string) => {
        const status = await (await ctx.workspace()).summary.status(date);
        const s = ctx.out.style;
        ctx.out.result({ status }, () => [
          `summary for ${s.bold(status.day)}, opened by ${status.openedBy}${status.collected ? ", collected" : ""}`,
          status.written.length
            ? `${s.green("written")}: ${status.written.map((entry) => entry.agent).join(", ")}`
            : s.dim("nobody has written yet"),
          status.missing.length
            ? `${s.yellow("not yet")}: ${status.missing.join(", ")}`
            : s.green("everyone expected has written"),
        ]);
      }),
    );

  summary
    .command("collect")
    .description("merge the entries with the day's completed and failed tasks and decisions into one report")
    .option("--date <day>", "another day, YYYY-MM-DD")
    .action(
      action(async (ctx, o: { date?: string }) => {
        const round = await (await ctx.workspace()).summary.collect(o.date);
        ctx.out.result({ round }, () => round.report ?? "");
      }),
    );

  summary
    .command("show")
    .description("a day's report, or its entries so far if not collected")
    .argument("[date]", "YYYY-MM-DD (default: today)")
    .action(
      action(async (ctx, date?: string) => {
        const round = await (await ctx.workspace()).summary.show(date);
        ctx.out.result(
          { round },
          () =>
            round.report ?? [
              `summary for ${round.day} (not collected yet)`,
              ...round.entries.map((e) => `- ${e.agent}: ${e.text}`),
            ],
        );
      }),
    );
}
