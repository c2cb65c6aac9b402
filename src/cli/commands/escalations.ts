import type { Command } from "commander";
import { isConfiguredHuman } from "../../domain/config.js";
import type { Escalation } from "../../domain/types.js";
import { oneLine as t } from "../../util/control-chars.js";
import { confirm, declined } from "../confirm.js";
import { action } from "../context.js";
import type { Style } from "../style.js";

function escalationLine(e: Escalation, s: Style): string {
  const state = e.open
    ? s.yellow("open")
    : e.resolvedBy
      ? `${s.green("resolved")} by ${t(e.resolvedBy)}${e.note ? `: ${t(e.note)}` : ""}`
      : s.dim("task finished");
  return `${s.bold(e.id)} ${e.task} by ${t(e.by)}: ${t(e.reason)} — ${state} ${s.dim(`(message ${e.message})`)}`;
}

export function registerEscalationCommands(program: Command): void {
  program
    .command("escalations")
    .description("tasks escalated to the humans, by hand or by the guardian when overdue")
    .option("--task <id>", "only this task's")
    .option("--open", "only those still waiting for a human (not resolved, task not finished)")
    .action(
      action(async (ctx, o: { task?: string; open?: boolean }) => {
        const escalations = await (await ctx.workspace()).tasks.escalations(o);
        const s = ctx.out.style;
        ctx.out.result({ escalations }, () =>
          escalations.length ? escalations.map((e) => escalationLine(e, s)) : s.dim("no escalations"),
        );
      }),
    );

  program
    .command("resolve")
    .description("mark an escalation handled, saying what you did (humans only)")
    .argument("<id>", "E-ID")
    .option("--note <text>", "what was done about it, for the log and the other humans")
    .option("--yes", "resolve without asking (needed where nobody can answer: scripts, --json)")
    .action(
      action(async (ctx, id: string, o: { note?: string; yes?: boolean }) => {
        const ws = await ctx.workspace();
        const open = (await ws.tasks.escalations()).find((e) => e.id === id.trim().toUpperCase() && e.open);
        // Only a resolution that would go through is asked about; others get the resolution's own error.
        if (open && ws.identity !== undefined && isConfiguredHuman(ws.config, ws.identity)) {
          const ok = await confirm(ctx, {
            command: "resolve",
            yes: o.yes,
            details: [`${open.id} ${open.task} by ${open.by}: ${open.reason}`],
            question: `Mark ${open.id} resolved?`,
          });
          if (!ok) return declined(ctx);
        }
        const escalation = await ws.tasks.resolveEscalation(id, o.note);
        ctx.out.result({ escalation }, () => escalationLine(escalation, ctx.out.style));
      }),
    );
}
