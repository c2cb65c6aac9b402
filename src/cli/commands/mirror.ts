import { relative } from "node:path";
import type { Command } from "commander";
import { sleep } from "../../util/sleep.js";
import { action, durationOption, withRange } from "../context.js";

export function registerMirrorCommand(program: Command): void {
  program
    .command("mirror")
    .description("write a human-readable, git-friendly markdown view of the workspace")
    .option("--dir <dir>", "where, inside the workspace (default: .baton/mirror)")
    .option("--watch", "keep it up to date as things change (Ctrl-C to stop)")
    .option(
      "--interval <duration>",
      withRange("with --watch, how often to look for changes", "sweepInterval"),
      durationOption("--interval", "sweepInterval"),
      1000,
    )
    .addHelpText(
      "after",
      `
Pages: README.md (index), queue-<name>.md (tasks by status), waiting-for-human.md (open questions
and approvals), decisions.md, agents.md, summaries/<day>.md. Files are written atomically and only
when their content changed, so committing the folder gives a readable history.`,
    )
    .action(
      action(async (ctx, o: { dir?: string; watch?: boolean; interval: number }) => {
        const ws = await ctx.workspace();
        const show = (path: string) => relative(process.cwd(), path) || ".";
        let stop = false;
        const onSignal = () => {
          stop = true;
        };
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
        let seen = -1;
        do {
          const latest = (await ws.log.list({ limit: 1 }))[0]?.seq ?? 0;
          if (latest !== seen) {
            const result = await ws.mirror.write(o.dir);
            seen = result.lastEvent;
            if (!o.watch || result.written.length > 0) {
              ctx.out.result({ ...result }, () =>
                result.written.length
                  ? `${show(result.dir)}: wrote ${result.written.join(", ")} (as of event #${result.lastEvent})`
                  : `${show(result.dir)}: up to date (event #${result.lastEvent})`,
              );
            }
          }
          if (o.watch) await sleep(o.interval);
        } while (o.watch && !stop);
      }),
    );
}
