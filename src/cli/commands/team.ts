import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { BatonError } from "../../errors.js";
import { runSimAgent, simKnob } from "../../orchestrator/sim/sim-agent.js";
import { DEFAULT_PORT_BASE } from "../../orchestrator/team/port-blocks.js";
import { teamDown } from "../../orchestrator/team/team-down.js";
import { readTeamRecord, type TeamRecord } from "../../orchestrator/team/team-record.js";
import { teamTmux } from "../../orchestrator/team/team-tmux.js";
import { findTree, hubRootOf } from "../../workspace/find-root.js";
import { action, type CliContext } from "../context.js";

type UpModule = typeof import("../../orchestrator/team/team-up.js");

interface UpFlags {
  count: number;
  agent: string[];
  roles?: string;
  worktrees: boolean;
  sharedTree?: boolean;
  headless?: boolean;
  portBase: number;
}

function count(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 32)
    throw new BatonError("usage", `-n ${value}: a team has 1 to 32 agents`, "e.g. baton up -n 4");
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1024 || n > 65_000)
    throw new BatonError("usage", `--port-base ${value} is not a usable port`, "pick one from 1024 to 65000");
  return n;
}

/** The main checkout of the repository the command runs in (where `.baton/` is). */
function repositoryRoot(): string {
  return hubRootOf(findTree(process.cwd()));
}

function requireTeam(root: string): TeamRecord {
  const record = readTeamRecord(root);
  if (!record)
    throw new BatonError(
      "not_found",
      "no team runs for this repository",
      "start one with: baton up -n 2 --agent sim",
    );
  return record;
}

function findAgent(record: TeamRecord, name: string) {
  const agent = record.agents.find((a) => a.name === name);
  if (!agent)
    throw new BatonError(
      "not_found",
      `the team has no agent '${name}'`,
      `its agents: ${record.agents.map((a) => a.name).join(", ")}`,
    );
  return agent;
}

/** This CLI's own script: the simulated agents and the hub window run it with this Node. */
const cliScript = () => fileURLToPath(import.meta.url);

export function registerTeamCommands(program: Command): void {
  program
    .command("up")
    .description("start a team of agents: a tmux session with a window per agent, each in its own worktree")
    .option("-n, --count <n>", "how many agents (1 to 32)", count, 2)
    .option(
      "--agent <host|command>",
      "what each agent runs: claude, codex, gemini, pi, aider, sim (built-in, no AI), or a command line; repeat to mix, cycled over the team",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option("--roles <roles>", "roles, comma-separated, cycled over the team (.baton/roles/ROLE.md)")
    .option("--shared-tree", "every agent in the main checkout instead of a worktree each")
    .option("--headless", "no tmux: run the agents as background processes")
    .option("--port-base <port>", "first port of the first agent's block of ten", port, DEFAULT_PORT_BASE)
    .addHelpText(
      "after",
      `
Each agent gets a name (claude-1, codex-1, sim-1), BATON_AGENT, its role's
prompt, baton's MCP server and hooks (baton connect), a block of ten ports
(BATON_PORT … BATON_PORT+9) and, by default, its own worktree under
.baton/worktrees/NAME on branch baton/NAME. The tmux session is named
baton-<hash of the repository's path>; a second \`up\` in the same repository is
refused. The hub (baton serve) runs in the session's first window and restarts
an agent whose process dies (once; then it tells the humans).
Then: baton status, baton attach [AGENT], baton nudge AGENT TEXT, baton down.`,
    )
    .action(
      action(async (ctx, o: UpFlags) => {
        if (o.headless)
          throw new BatonError(
            "unsupported",
            "headless teams are not built yet",
            "run the team in tmux (drop --headless), or run headless agents with baton work --agent HOST",
          );
        const root = repositoryRoot();
        await ctx.workspace(); // refuses a repository without .baton/ before anything starts
        const { teamUp } = (await import(
          new URL("../orchestrator/team/team-up.js", import.meta.url).href
        )) as UpModule;
        const record = await teamUp(
          {
            root,
            count: o.count,
            agents: o.agent,
            roles: o.roles ? o.roles.split(",").map((r) => r.trim()) : [],
            worktrees: !o.sharedTree,
            portBase: o.portBase,
            cli: cliScript(),
            now: ctx.now(),
            say: (line) => ctx.out.note(line),
          },
          teamTmux(),
        );
        ctx.out.result({ team: record }, () => startedLines(record));
      }),
    );

  program
    .command("down")
    .description(
      "stop the team: each agent is asked to quit, killed after 10 s; its claims and leases are released",
    )
    .option("--force", "kill at once, without asking the agents to quit")
    .addHelpText("after", "\nWorktrees, branches and the database are kept: baton cleanup removes worktrees.")
    .action(
      action(async (ctx, o: { force?: boolean }) => {
        const record = requireTeam(repositoryRoot());
        const ws = await ctx.workspace();
        const result = await teamDown(record, teamTmux(record), ws.hub, { force: o.force });
        ctx.out.result({ ...result }, () => [
          `stopped ${record.agents.length} agent(s)${result.session ? ` and the tmux session ${result.session}` : " (their tmux session was already gone)"}`,
          ...(result.killed.length
            ? [`${o.force ? "killed" : "killed after the grace period"}: ${result.killed.join(", ")}`]
            : []),
          ...result.released
            .filter((r) => r.tasks + r.leases > 0)
            .map((r) => `released ${r.agent}'s ${r.tasks} claim(s) and ${r.leases} lease(s)`),
          "worktrees and branches are kept; baton cleanup removes worktrees (their work saved to a ref first)",
        ]);
      }),
    );

  program
    .command("sessions")
    .description("list the baton team sessions on this machine's tmux server")
    .action(
      action(async (ctx) => {
        const tmux = teamTmux();
        const listed = (await tmux.available()) ? await tmux.listSessions() : [];
        const rows: {
          session: string;
          project: string | null;
          agents: number;
          createdAt: string | null;
          attached: boolean;
        }[] = [];
        for (const s of listed.filter((s) => s.name.startsWith("baton-"))) {
          const env = await tmux.showEnvironment(s.name);
          rows.push({
            session: s.name,
            project: env.BATON_PROJECT ?? null,
            agents: Number(env.BATON_AGENTS ?? 0),
            createdAt: env.BATON_CREATED ?? null,
            attached: s.attached,
          });
        }
        ctx.out.result({ sessions: rows }, () =>
          rows.length === 0
            ? "no baton sessions (start one with baton up)"
            : rows.map(
                (r) =>
                  `${r.session}  ${r.agents} agent(s)  ${r.project ?? "?"}  since ${r.createdAt ?? "?"}${r.attached ? "  (attached)" : ""}`,
              ),
        );
      }),
    );

  program
    .command("attach")
    .description("open the team's tmux session, at an agent's window")
    .argument("[agent]", "the agent's window (default: the session as it is)")
    .action(
      action(async (_ctx: CliContext, agent: string | undefined) => {
        const record = requireTeam(repositoryRoot());
        const pane = agent ? (findAgent(record, agent).paneId ?? undefined) : undefined;
        const [program, ...args] = teamTmux(record).attachArgs(record.session!, pane);
        const result = spawnSync(program!, args, { stdio: "inherit" });
        return result.status ?? 1;
      }),
    );

  program
    .command("nudge")
    .description("type a message into an agent's terminal and submit it (default: look at your inbox)")
    .argument("<agent>", "the agent")
    .argument("[text]", "what to type", "Check your baton inbox and the ready tasks, then carry on.")
    .action(
      action(async (ctx, name: string, text: string) => {
        const record = requireTeam(repositoryRoot());
        const agent = findAgent(record, name);
        if (!agent.paneId)
          throw new BatonError(
            "invalid_state",
            `${agent.name} has no terminal (a headless agent)`,
            `send it a message: baton send ${agent.name} TEXT`,
          );
        await teamTmux(record).sendText(agent.paneId, text, { submit: true });
        ctx.out.result(
          { nudged: agent.name, text },
          () => `typed into ${agent.name}'s terminal and submitted`,
        );
      }),
    );

  program
    .command("sim-agent", { hidden: true })
    .description("baton's simulated agent (what baton up --agent sim runs)")
    .action(
      action(async (ctx) => {
        const ws = await ctx.workspace();
        const stop = new AbortController();
        process.once("SIGINT", () => stop.abort());
        process.once("SIGTERM", () => stop.abort());
        const me = ws.identity ?? "";
        const crash = simKnob(process.env.BATON_SIM_CRASH_AFTER, me);
        return runSimAgent(ws, {
          crashAfter: crash ? Number(crash) : undefined,
          // Names, comma-separated: the agents that crash once, holding their first task.
          crashOnce: (process.env.BATON_SIM_CRASH_ONCE ?? "").split(",").includes(me),
          ask: simKnob(process.env.BATON_SIM_ASK, me),
          say: (line) => process.stdout.write(`${line}\n`),
          signal: stop.signal,
        });
      }),
    );
}

function startedLines(record: TeamRecord): string[] {
  return [
    `team up in tmux session ${record.session}:`,
    ...record.agents.map(
      (a) =>
        `  ${a.name.padEnd(12)} ${a.role.padEnd(10)} ${(a.branch ?? "(shared tree)").padEnd(20)} http://127.0.0.1:${a.port}/`,
    ),
    "next: baton status · baton attach [AGENT] · baton nudge AGENT TEXT · baton down",
  ];
}
