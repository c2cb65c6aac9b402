import type { Command } from "commander";
import type { ConflictsReport } from "../../orchestrator/merge/predict-conflicts.js";
import { predictConflicts } from "../../orchestrator/merge/predict-conflicts.js";
import { mainRoot } from "../../orchestrator/worktrees/paths.js";
import { action, type CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";

export function registerConflictsCommand(program: Command): void {
  program
    .command("conflicts")
    .description(
      "before merging: the files two or more agents touched, and those the target changed under them",
    )
    .option(
      "--into <branch>",
      "the branch they would merge into (default: the one checked out in the main checkout)",
    )
    .addHelpText(
      "after",
      `
For every agent's branch (baton/NAME): the files changed on it since it left the
target, the uncommitted changes in its worktree, and the leases it holds now. Each
file touched by two or more agents is listed with who and how (committed,
uncommitted, leased), and so is each file the target changed since an agent's
branch left it that the agent changed too. Only reads: nothing is changed.
Exit code 0 when there are none, 3 when there are some.`,
    )
    .action(
      action(async (ctx, o: { into?: string }) => {
        const ws = await ctx.workspace();
        const report = predictConflicts(mainRoot(ws.root), await ws.leases.list(), o.into);
        ctx.out.result({ ...report }, () => reportLines(ctx, report));
        return report.overlaps.length > 0 || report.targetOverlaps.length > 0 ? EXIT.conflict : EXIT.ok;
      }),
    );
}

function reportLines(ctx: CliContext, report: ConflictsReport): string[] {
  const s = ctx.out.style;
  if (report.overlaps.length === 0 && report.targetOverlaps.length === 0) {
    const n = report.agents.length;
    return [
      s.dim(
        `no overlaps: the work of ${n} agent${n === 1 ? "" : "s"} touches no file in common, into ${report.target}`,
      ),
    ];
  }
  const lines: string[] = [];
  for (const overlap of report.overlaps) {
    const who = overlap.agents.map((agent) => {
      const how = agent.how.map((h) =>
        h === "leased" && agent.leases ? `leased ${agent.leases.join(" ")}` : h,
      );
      return `${agent.name} (${how.join(", ")})`;
    });
    lines.push(`${s.bold(overlap.path)}  ${who.join(", ")}`);
  }
  if (report.targetOverlaps.length > 0) {
    lines.push(`changed on ${report.target} since the agent's branch left it, and by the agent too:`);
    for (const { agent, files } of report.targetOverlaps)
      lines.push(`  ${s.bold(agent)}  ${files.join(", ")}`);
  }
  lines.push(
    s.dim(
      "hint: settle who finishes which file (baton send), or merge one and bring the target into the others' branches",
    ),
  );
  return lines;
}
