import type { Command } from "commander";
import { type CostEntry, type CostTotal, describeCost, formatUsd } from "../../domain/cost.js";
import { looksLikeTaskId } from "../../domain/task-rules.js";
import { BatonError, clip } from "../../errors.js";
import { oneLine as t } from "../../util/control-chars.js";
import { action } from "../context.js";

import { type Style, table } from "../style.js";

/**
 * A decimal amount (`0.25`, `3`, `1.5e3`): Number() alone also reads `0x10`
 * and `0b11` (a hostile run charged $16 with --usd 0x10), which nobody means
 * as dollars or tokens.
 */
const DECIMAL = /^\s*\d+(\.\d*)?([eE][+-]?\d+)?\s*$|^\s*\.\d+([eE][+-]?\d+)?\s*$/;

function amount(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!DECIMAL.test(value) || !Number.isFinite(n) || n < 0)
      throw new BatonError("usage", `${flag} ${value} is not an amount`, `e.g. ${flag} 0.25`);
    return n;
  };
}

const tokens = (total: CostTotal) => `${total.inputTokens} in / ${total.outputTokens} out`;

function capsLine(caps: { taskCapUsd: number | null; agentCapUsd: number | null }, s: Style): string {
  const task = caps.taskCapUsd === null ? "none" : formatUsd(caps.taskCapUsd);
  const agent = caps.agentCapUsd === null ? "none" : formatUsd(caps.agentCapUsd);
  return s.dim(
    `caps: per task ${task}, per agent ${agent} (costs in .baton/config.json); ~ marks an estimate`,
  );
}

function entryRow(entry: CostEntry, s: Style): string[] {
  const usd =
    entry.usd === null ? s.yellow("no price") : `${entry.estimated ? "~" : ""}${formatUsd(entry.usd)}`;
  return [
    new Date(entry.at).toISOString().slice(11, 19),
    t(entry.agent),
    `${t(entry.host)}${entry.model ? ` ${t(entry.model)}` : ""}`,
    entry.turn === null ? "" : `turn ${entry.turn}`,
    usd,
    `${entry.inputTokens}/${entry.outputTokens}`,
  ];
}

export function registerCostCommands(program: Command): void {
  const cost = program
    .command("cost")
    .description("what agents have cost: per agent, or one task's turns (the ledger)")
    .argument("[task|agent]", "a task (its total and turns, newest first) or an agent (its total)")
    .addHelpText(
      "after",
      `
The ledger has one entry per finished turn of a host: dollars as Claude Code and
pi report them, or tokens (Codex, Gemini) priced from costs.prices in
.baton/config.json and marked ~ (estimated). baton work charges each turn to its
agent and task; with costs.task_cap_usd or costs.agent_cap_usd set, an agent that
reaches a cap is stopped and a human is asked (baton questions) whether it goes on.
A program of your own reports its spend with baton cost add.`,
    )
    .action(
      action(async (ctx, subject: string | undefined) => {
        const ws = await ctx.workspace();
        const s = ctx.out.style;
        const caps = { taskCapUsd: ws.config.costs.taskCapUsd, agentCapUsd: ws.config.costs.agentCapUsd };
        const task =
          subject && looksLikeTaskId(subject)
            ? await ws.tasks.show(subject).catch(() => undefined)
            : undefined;
        if (task) {
          const { total, entries } = await ws.costs.ofTask(task.id);
          ctx.out.result({ task: task.id, total, entries, caps }, () => [
            `${s.bold(task.id)}: ${describeCost(total)} over ${total.turns} turn(s), ${tokens(total)} tokens`,
            ...(entries.length ? [table(entries.map((e) => entryRow(e, s)))] : []),
            capsLine(caps, s),
          ]);
          return;
        }
        if (subject && !(await ws.agents.list()).some((a) => a.name === subject))
          throw new BatonError(
            "not_found",
            `no ${looksLikeTaskId(subject) ? "task or agent" : "agent"} '${clip(subject, 60)}'`,
            "baton cost alone lists every agent's spend; baton task list shows the tasks",
          );
        const { agents } = await ws.costs.totals(subject ? { agents: [subject] } : {});
        const rows = Object.entries(agents).sort(([, a], [, b]) => b.usd - a.usd);
        ctx.out.result({ agents, caps }, () => {
          if (rows.length === 0 || rows.every(([, total]) => total.turns === 0))
            return [s.dim("nothing spent yet"), capsLine(caps, s)];
          return [
            table([
              ["AGENT", "COST", "TURNS", "TOKENS"].map(s.dim),
              ...rows.map(([name, total]) => [
                s.bold(t(name)),
                describeCost(total),
                String(total.turns),
                tokens(total),
              ]),
            ]),
            capsLine(caps, s),
          ];
        });
      }),
    );

  cost
    .command("add")
    .description("charge a turn to the ledger as the agent you act as: dollars, or tokens to price")
    .option("--usd <amount>", "what it cost in dollars", amount("--usd"))
    .option(
      "--input-tokens <n>",
      "tokens in (priced from costs.prices when --usd is not given)",
      amount("--input-tokens"),
    )
    .option("--output-tokens <n>", "tokens out", amount("--output-tokens"))
    .option("--task <id>", "the task it was spent on")
    .option("--host <name>", "the program that spent it", "command")
    .option("--model <name>", "the model, to find its price")
    .action(
      action(
        async (
          ctx,
          o: {
            usd?: number;
            inputTokens?: number;
            outputTokens?: number;
            task?: string;
            host: string;
            model?: string;
          },
        ) => {
          if (o.usd === undefined && o.inputTokens === undefined && o.outputTokens === undefined)
            throw new BatonError(
              "usage",
              "say what was spent",
              "baton cost add --usd 0.12, or --input-tokens N --output-tokens N",
            );
          const ws = await ctx.workspace();
          const recorded = await ws.costs.record({
            task: o.task ?? null,
            host: o.host,
            model: o.model ?? null,
            ...(o.usd !== undefined ? { usd: o.usd } : {}),
            ...(o.inputTokens !== undefined || o.outputTokens !== undefined
              ? { tokens: { input: o.inputTokens ?? 0, output: o.outputTokens ?? 0 } }
              : {}),
          });
          const s = ctx.out.style;
          ctx.out.result({ ...recorded }, () => [
            `${s.bold(recorded.entry.agent)}: ${recorded.entry.usd === null ? "tokens with no price" : `${recorded.entry.estimated ? "~" : ""}${formatUsd(recorded.entry.usd)}`} charged${recorded.entry.task ? ` to ${recorded.entry.task}` : ""}; in all ${describeCost(recorded.agent)}`,
            ...(recorded.cap
              ? [
                  s.red(
                    `cap reached: ${recorded.cap.kind} ${recorded.cap.subject} at ${formatUsd(recorded.cap.spent)} of ${formatUsd(recorded.cap.cap)}`,
                  ),
                ]
              : []),
          ]);
        },
      ),
    );
}
