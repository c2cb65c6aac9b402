import type { Command } from "commander";
import { type ErrorCode, isBatonError } from "../../errors.js";
import { formatDuration } from "../../util/duration.js";
import { sleep } from "../../util/sleep.js";
import { action, durationOption, withRange } from "../context.js";

/** Errors that mean "another process holds the store for now", which a long-running guardian waits out. */
const STALLS = new Set<ErrorCode>(["store_stalled", "store_busy"]);

export function registerGuardianCommand(program: Command): void {
  program
    .command("guardian")
    .description("sweep expired claims and leases and report hung agents, continuously or --once")
    .option("--once", "one pass, then exit")
    .option(
      "--interval <duration>",
      withRange("time between passes (default: guardian_interval)", "sweepInterval"),
      durationOption("--interval", "sweepInterval"),
    )
    .addHelpText(
      "after",
      `
Correctness never depends on the guardian: every command sweeps what it touches.
The guardian makes expiries and hung agents show up in the log even when nobody
else is active.`,
    )
    .action(
      action(async (ctx, o: { once?: boolean; interval?: number }) => {
        const ws = await ctx.workspace();
        const interval = o.interval ?? ws.config.guardianIntervalMs;
        let stop = false;
        const onSignal = () => {
          stop = true;
        };
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
        if (!o.once) ctx.out.note(`guardian: sweeping every ${formatDuration(interval)}; Ctrl-C to stop`);
        do {
          let swept: Awaited<ReturnType<typeof ws.agents.sweep>>;
          try {
            swept = await ws.agents.sweep();
          } catch (error) {
            // A stopped process holding the store: the guardian outlives it and sweeps once it is gone.
            if (o.once || !isBatonError(error) || !STALLS.has(error.code)) throw error;
            ctx.out.note(`guardian: ${error.message}; ${error.hint}`);
            await sleep(interval);
            continue;
          }
          const found =
            swept.expiredTasks.length +
            swept.expiredLeases.length +
            swept.hungAgents.length +
            swept.escalatedTasks.length;
          if (o.once || found > 0) {
            ctx.out.result({ ...swept }, () => {
              const lines = [
                ...swept.expiredTasks.map((id) => `expired claim on ${id}`),
                ...swept.expiredLeases.map((path) => `expired lease on ${path}`),
                ...swept.hungAgents.map((name) => `${name} is hung`),
                ...swept.escalatedTasks.map((id) => `escalated overdue ${id} to the humans`),
              ];
              return lines.length ? lines : ctx.out.style.dim("nothing expired");
            });
          }
          if (!o.once) await sleep(interval);
        } while (!o.once && !stop);
      }),
    );
}
