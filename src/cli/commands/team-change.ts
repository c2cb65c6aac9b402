import type { Command } from "commander";
import { action, durationOption, withRange } from "../context.js";
import { agentLine, repositoryRoot } from "./team.js";

type SpawnModule = typeof import("../../orchestrator/team/spawn-agent.js");
type StopModule = typeof import("../../orchestrator/team/stop-wait.js");

/** Loaded when used: the orchestrator (tmux, worktrees) never slows the other commands. */
const load = <T>(path: string): Promise<T> => import(new URL(path, import.meta.url).href) as Promise<T>;

/** `baton spawn` and `baton stop`: the team changed while it runs, as a lead agent changes it with spawn_agent and stop_agent. */
export function registerTeamChangeCommands(program: Command): void {
  program
    .command("spawn")
    .description(
      "start one more agent in the running team (its worktree, ports, window), as baton up starts each",
    )
    .option(
      "--agent <host|command>",
      "what it runs: claude, codex, gemini, pi, aider, sim, or a command line",
      "claude",
    )
    .option("--role <role>", "its role (.baton/roles/ROLE.md; default developer)")
    .option("--name <name>", "its name (default: the host's next free one, e.g. claude-3)")
    .option("--task <id>", "an open task assigned to it before it starts")
    .addHelpText(
      "after",
      `
Bounded by the config: "team.max_agents" counts the agents not stopped, and
"team.allowed_hosts" lists what may be started. Recorded as team.spawned in
baton log, with who asked (BATON_AGENT or --as; "cli" without a name).`,
    )
    .action(
      action(async (ctx, o: { agent: string; role?: string; name?: string; task?: string }) => {
        repositoryRoot(); // inside a repository, before anything
        const ws = await ctx.workspace();
        const { spawnAgent } = await load<SpawnModule>("../orchestrator/team/spawn-agent.js");
        const agent = await spawnAgent(ws, { host: o.agent, role: o.role, name: o.name, task: o.task });
        ctx.out.result({ agent }, () => [
          `started ${agent.name}:`,
          `  ${agentLine(agent)}`,
          `stop it with baton stop ${agent.name}`,
        ]);
      }),
    );

  program
    .command("stop")
    .description("ask one agent of the team to stop; baton ends its window if it has not left in time")
    .argument("<agent>", "the agent")
    .option("--reason <text>", "why, in the request it reads")
    .option(
      "--timeout <duration>",
      withRange("how long it has to leave before baton ends its session (default 60s)", "wait"),
      durationOption("--timeout", "wait"),
    )
    .option("--no-wait", "return once it was asked; the hub sees the stop through")
    .addHelpText(
      "after",
      `
The agent gets a message (an idle one is told of it): finish the step in hand,
then leave the team, which releases its task and leases. When it has left, or
at the timeout, baton asks its host to quit, ends its window 10 s later if it
is still there, releases what it still holds, and marks it stopped: the hub
never restarts it. Recorded as team.stop_requested and team.stopped.`,
    )
    .action(
      action(async (ctx, name: string, o: { reason?: string; timeout?: number; wait: boolean }) => {
        const root = repositoryRoot();
        const ws = await ctx.workspace();
        const { stopAndWait } = await load<StopModule>("../orchestrator/team/stop-wait.js");
        const result = await stopAndWait(ws, root, name, {
          reason: o.reason,
          timeoutMs: o.timeout,
          wait: o.wait,
        });
        ctx.out.result({ ...result }, () =>
          result.stopped
            ? `${result.agent} stopped: ${result.confirmed ? "it left when asked" : "it did not leave in time, so baton ended its session"}${result.released.length ? `; released ${result.released.join(", ")}` : ""}`
            : `asked ${result.agent} to stop; baton ends its session by ${new Date(result.deadline).toISOString()} at the latest`,
        );
      }),
    );
}
