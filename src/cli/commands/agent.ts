import type { Command } from "commander";
import { describeLoss } from "../../domain/lost-holds.js";
import { BatonError } from "../../errors.js";
import { formatDuration } from "../../util/duration.js";
import { worktreeAgentFile } from "../../workspace/worktree-agent.js";
import { action } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { agentTable } from "../format.js";

export function registerAgentCommands(program: Command): void {
  const agent = program.command("agent").description("join or leave the team");

  agent
    .command("join")
    .description("register NAME (or update its role and kind); then act as it with --as NAME or BATON_AGENT")
    .argument("<name>")
    .option("--role <role>", "what the agent does: backend, reviewer, lead ...")
    .option("--kind <kind>", "claude, codex, gemini, pi, custom or human")
    .action(
      action(async (ctx, name: string, o: { role?: string; kind?: string }) => {
        if (ctx.globals.as && ctx.globals.as !== name) {
          throw new BatonError(
            "usage",
            `--as ${ctx.globals.as} and join ${name} disagree`,
            "join under the name you act as",
          );
        }
        ctx.globals.as = name;
        const joined = await (await ctx.workspace()).agents.join(o);
        ctx.out.result({ agent: joined }, () => [
          `${joined.name} joined as ${joined.kind}${joined.role ? `, role ${joined.role}` : ""}`,
          ctx.out.style.dim(`act as it with: export BATON_AGENT=${joined.name}`),
        ]);
      }),
    );

  agent
    .command("leave")
    .description("leave the team, releasing your claims and leases")
    .action(
      action(async (ctx) => {
        const left = await (await ctx.workspace()).agents.leave();
        ctx.out.result({ ...left }, () => {
          const released = [...left.releasedTasks, ...left.releasedLeases];
          return `${left.agent} left${released.length ? `; released ${released.join(", ")}` : ""}`;
        });
      }),
    );

  agent
    .command("remove")
    .description("take an agent off the team (yourself, or any agent if you are a human); its history stays")
    .argument("<name>")
    .option("--force", "even if it holds claims or leases or has tasks reserved: release and unassign them")
    .action(
      action(async (ctx, name: string, o: { force?: boolean }) => {
        const removed = await (await ctx.workspace()).agents.remove(name, o);
        ctx.out.result({ ...removed }, () => {
          const released = [...removed.releasedTasks, ...removed.releasedLeases];
          return [
            `removed ${removed.agent}`,
            ...(released.length ? [`released ${released.join(", ")}`] : []),
            ...(removed.unassignedTasks.length ? [`unassigned ${removed.unassignedTasks.join(", ")}`] : []),
          ];
        });
      }),
    );

  program
    .command("whoami")
    .description(
      "who baton takes you for, and why: --as, BATON_AGENT, or this worktree's agent (baton connect)",
    )
    .action(
      action(async (ctx) => {
        const ws = await ctx.workspace();
        const source = {
          option: "--as",
          environment: "BATON_AGENT",
          worktree: `this worktree's agent, ${ws.tree ? worktreeAgentFile(ws.tree.gitDir) : ""}`,
        };
        ctx.out.result(
          {
            agent: ws.identity ?? null,
            source: ws.identitySource ?? null,
            tree: ws.paths.treeRoot,
            hub: ws.root,
          },
          () =>
            ws.identity
              ? [
                  `${ctx.out.style.bold(ws.identity)} ${ctx.out.style.dim(`(from ${source[ws.identitySource!]})`)}`,
                ]
              : [
                  "nobody: commands that change state will ask who is acting",
                  ctx.out.style.dim(
                    "pass --as NAME, export BATON_AGENT=NAME, or run baton connect HOST --as NAME here",
                  ),
                ],
        );
      }),
    );

  program
    .command("agents")
    .description("who is on the team: status (idle, busy, offline, hung), current task, leases")
    .action(
      action(async (ctx) => {
        const agents = await (await ctx.workspace()).agents.list();
        ctx.out.result({ agents }, () => agentTable(agents, ctx.out.style, ctx.now()));
      }),
    );

  program
    .command("heartbeat")
    .description(
      "say you are alive: renews all your claims and leases, and reports (once) any you lost since your last heartbeat, with exit 3",
    )
    .option("--working-on <text>", "what you are doing, shown in `baton agents`")
    .action(
      action(async (ctx, o: { workingOn?: string }) => {
        const beat = await (await ctx.workspace()).agents.heartbeat(o);
        const s = ctx.out.style;
        ctx.out.result({ ...beat }, () => {
          const lines = [
            ...beat.lost.map((loss) => s.red(describeLoss(loss))),
            ...beat.renewedTasks.map((t) => `renewed ${t.id} for ${formatDuration(t.expiresAt - ctx.now())}`),
            ...beat.renewedLeases.map(
              (l) => `renewed ${l.path} for ${formatDuration(l.expiresAt - ctx.now())}`,
            ),
          ];
          return lines.length ? lines : s.dim("alive; nothing held");
        });
        return beat.lost.length > 0 ? EXIT.conflict : EXIT.ok;
      }),
    );
}
