import type { Command } from "commander";
import { BatonError } from "../../errors.js";
import { leaseTouchesFromLog, leaseTouchesHeld } from "../../orchestrator/merge/lease-history.js";
import { runMergeTrain, type TrainResult, type TrainStep } from "../../orchestrator/merge/merge-train.js";
import type { Toucher } from "../../orchestrator/merge/overlaps.js";
import { mainRoot, worktreeRelative } from "../../orchestrator/worktrees/paths.js";
import type { Workspace } from "../../services/workspace.js";
import { action, type CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";

/** How many lease events back a conflict's report looks for who leased a file. */
const LEASE_EVENTS = 10_000;

export function registerMergeCommand(program: Command): void {
  program
    .command("merge")
    .description(
      "merge agents' branches (baton/NAME) into a branch, one after another; a conflict stops it and changes nothing",
    )
    .argument("[agents...]", "the agents whose branches are merged, in this order")
    .option("--all", "every agent's branch (baton/*), by name")
    .option("--into <branch>", "the branch merged into (default: the one checked out in the main checkout)")
    .option(
      "--rebase",
      "rebase each agent's commits onto it and fast-forward, instead of a merge commit each",
    )
    .addHelpText(
      "after",
      `
The merging is done in a scratch worktree of the target under .baton/merging,
removed after: the target moves only when every agent merged cleanly, and all at
once. If the target is checked out in the main checkout, its files are updated
too; with uncommitted changes there the merge is refused until they are committed
or stashed. A target checked out in another worktree is refused (git will not
move a branch under a worktree).

On a conflict the train stops at that agent and nothing is changed, not even the
agents merged before it: the report names the conflicting files and, for each, the
agents that changed or leased it. Fix it on that agent's branch, or leave it out,
and run it again. An agent with no commits beyond the target has nothing to merge:
that is said, not an error. Uncommitted changes in an agent's worktree are not
part of its branch: you get a warning.

--rebase replays the agents' commits on the target (their own branches are not
moved); it can conflict where a merge would not. With --dry-run the whole train
runs in the scratch worktree and nothing moves. Exit code 3 on a conflict.`,
    )
    .action(
      action(async (ctx, agents: string[], o: { all?: boolean; into?: string; rebase?: boolean }) => {
        if (o.all && agents.length > 0)
          throw new BatonError(
            "usage",
            "both --all and agent names given",
            "name the agents, or use --all alone",
          );
        if (!o.all && agents.length === 0)
          throw new BatonError(
            "usage",
            "no agent named",
            "name the agents to merge (baton merge alice bob), or --all",
          );
        const ws = await ctx.workspace();
        const result = await runMergeTrain(mainRoot(ws.root), {
          agents: o.all ? "all" : agents,
          into: o.into,
          rebase: o.rebase === true,
          dryRun: ctx.globals.dryRun === true,
          leasesOf: (names) => leasesOf(ws, names),
        });
        for (const warning of result.warnings) ctx.out.note(`warning: ${warning}`);
        const hint = result.conflict ? { hint: conflictHint(result, result.conflict.agent) } : {};
        ctx.out.result({ ...result, ...hint }, () => resultLines(ctx, result));
        return result.conflict ? EXIT.conflict : EXIT.ok;
      }),
    );
}

/** Every lease the agents took, from the log, and those they hold now (an old log may have been trimmed). */
async function leasesOf(ws: Workspace, names: ReadonlySet<string>) {
  const events = [
    ...(await ws.log.list({ type: "lease.acquired", limit: LEASE_EVENTS })),
    ...(await ws.log.list({ type: "lease.renewed", limit: LEASE_EVENTS })),
  ];
  return [...leaseTouchesFromLog(events, names), ...leaseTouchesHeld(await ws.leases.list(), names)];
}

function resultLines(ctx: CliContext, result: TrainResult): string[] {
  const s = ctx.out.style;
  const how = result.strategy === "rebase" ? "rebase and fast-forward" : "merge --no-ff";
  const lines = [`into ${s.bold(result.target)} (${how})`];
  if (result.steps.length === 0) lines.push(s.dim("  no agent branches (baton/*) to merge"));
  const width = Math.max(0, ...result.steps.map((step) => step.name.length));
  for (const step of result.steps)
    lines.push(`  ${s.bold(step.name.padEnd(width))}  ${stepWords(ctx, step, result)}`);
  const short = (commit: string) => commit.slice(0, 12);
  if (result.conflict) {
    const { agent, files } = result.conflict;
    lines.push(
      "",
      s.red(
        `conflict merging ${agent}: nothing was changed, ${result.target} stays at ${short(result.before)}`,
      ),
    );
    for (const file of files) {
      const target = file.target ? `, and ${result.target} since ${agent}'s branch left it` : "";
      lines.push(`  ${file.path}  ${s.dim("touched by")} ${touchers(file.agents)}${target}`);
    }
    lines.push(s.dim(`  hint: ${conflictHint(result, agent)}`));
  } else if (result.moved) {
    const checkout = result.checkoutUpdated ? " (the main checkout's files updated)" : "";
    lines.push(`${result.target}: ${short(result.before)} → ${short(result.after)}${checkout}`);
  } else if (!result.steps.some((step) => step.outcome === "would merge")) {
    lines.push(s.dim(`nothing to merge: ${result.target} already has every agent's commits`));
  }
  return lines;
}

function stepWords(ctx: CliContext, step: TrainStep, result: TrainResult): string {
  const s = ctx.out.style;
  const commits = `${step.commits} commit${step.commits === 1 ? "" : "s"}`;
  switch (step.outcome) {
    case "merged":
      return `${s.green("merged")} ${commits} (${step.commit!.slice(0, 12)})`;
    case "would merge":
      return `would merge ${commits}`;
    case "nothing to merge":
      return s.dim(`nothing to merge: no commits beyond ${result.target}`);
    case "conflict":
      return s.red("conflict");
    default:
      return s.dim("not tried");
  }
}

function touchers(agents: Toucher[]): string {
  if (agents.length === 0) return "no agent (only the target)";
  return agents
    .map((agent) => {
      const how = agent.how.map((h) =>
        h === "leased" && agent.leases ? `leased ${agent.leases.join(" ")}` : h,
      );
      return `${agent.name} (${how.join(", ")})`;
    })
    .join(", ");
}

/** What to do about a conflict, for the text and the JSON alike. */
export function conflictHint(result: TrainResult, agent: string): string {
  const others = result.steps.filter((step) => step.name !== agent).map((step) => step.name);
  const without =
    others.length > 0 ? `; or merge the others without it: baton merge ${others.join(" ")}` : "";
  if (result.strategy === "rebase") {
    return `a rebase replays each commit and can conflict where a merge does not: try it without --rebase, or rebase it in its worktree (git -C ${worktreeRelative(agent)} rebase ${result.target}), resolve, commit, and run it again${without}`;
  }
  return `bring ${result.target} into ${agent}'s branch in its worktree (git -C ${worktreeRelative(agent)} merge ${result.target}), resolve the files, commit, and run it again${without}`;
}
