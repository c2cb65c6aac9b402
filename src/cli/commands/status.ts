import type { Command } from "commander";
import { teamView } from "../../orchestrator/team/team-view.js";
import type { TeamStatus } from "../../services/status-service.js";
import { safeJson } from "../../util/control-chars.js";
import { sleep } from "../../util/sleep.js";
import { action, type CliContext, durationOption, withRange } from "../context.js";
import { forTerminal } from "../output.js";
import { statusLines, teamLines } from "../status-format.js";

/** What changes between two snapshots that a person would notice (not the clock). */
function fingerprint(status: TeamStatus): string {
  return JSON.stringify({ ...status, at: 0, agents: status.agents.map((a) => ({ ...a, lastSeenAt: 0 })) });
}

/**
 * A redraw taller than the terminal would scroll: the top (what waits for you)
 * would leave the screen and every frame would pile into the scrollback. So the
 * frame is cut to the terminal's height, saying how much more there is.
 */
function fitHeight(lines: string[]): string[] {
  const rows = process.stdout.rows;
  if (!rows || lines.length < rows) return lines;
  const kept = lines.slice(0, Math.max(rows - 2, 1));
  return [
    ...kept,
    `… ${lines.length - kept.length} more lines (make the terminal taller, or run baton status)`,
  ];
}

/** Redraws in place on a terminal; elsewhere prints each change once, so a log of `--watch` reads top to bottom. */
async function watch(ctx: CliContext, everyMs: number): Promise<void> {
  const workspace = await ctx.workspace();
  const tty = process.stdout.isTTY === true && !ctx.out.json;
  let stop = false;
  const end = () => {
    stop = true;
  };
  process.once("SIGINT", end);
  process.once("SIGTERM", end);
  let last = "";
  try {
    while (!stop) {
      const status = await workspace.status.snapshot();
      const print = fingerprint(status);
      if (ctx.out.json) {
        if (print !== last) process.stdout.write(`${safeJson({ status })}\n`);
      } else if (tty) {
        const body = forTerminal(fitHeight(statusLines(status, ctx.out.style)).join("\n"), ctx.out.style);
        // Home, draw, clear what is left of the previous frame: no flicker.
        process.stdout.write(`\u001b[H${body.replaceAll("\n", "\u001b[K\n")}\u001b[K\u001b[J`);
      } else if (print !== last) {
        process.stdout.write(
          `${forTerminal(statusLines(status, ctx.out.style).join("\n"), ctx.out.style)}\n\n`,
        );
      }
      last = print;
      for (let waited = 0; waited < everyMs && !stop; waited += 100)
        await sleep(Math.min(100, everyMs - waited));
    }
  } finally {
    process.off("SIGINT", end);
    process.off("SIGTERM", end);
  }
}

export async function showStatus(ctx: CliContext): Promise<void> {
  const ws = await ctx.workspace();
  const status = await ws.status.snapshot();
  const team = await teamView(ws.hub.root, new Map(status.agents.map((a) => [a.name, a.lastSeenAt])));
  ctx.out.result({ status, ...(team ? { team } : {}) }, () => [
    ...statusLines(status, ctx.out.style),
    ...(team ? ["", ...teamLines(team, ctx.out.style)] : []),
  ]);
}

export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description(
      "the team at a glance: what waits for you, agents, tasks, leases (also: baton with no command)",
    )
    .option(
      "--watch [interval]",
      withRange("redraw in place as things change (every 2s, or the interval given)", "sweepInterval"),
    )
    .action(
      action(async (ctx, o: { watch?: string | true }) => {
        if (o.watch === undefined) return showStatus(ctx);
        const everyMs = o.watch === true ? 2000 : durationOption("--watch", "sweepInterval")(o.watch);
        if (process.stdout.isTTY && !ctx.out.json) process.stdout.write("\u001b[2J");
        return watch(ctx, everyMs);
      }),
    );
}
