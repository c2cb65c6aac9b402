import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { TEAM_BOUNDS } from "../../domain/team-config.js";
import { BatonError } from "../../errors.js";
import { runSimAgent, simKnob } from "../../orchestrator/sim/sim-agent.js";
import { sessionPanes } from "../../orchestrator/team/end-window.js";
import { teamDown } from "../../orchestrator/team/team-down.js";
import { findTeamAgent, requireTeam } from "../../orchestrator/team/team-lookup.js";
import type { TeamRecord } from "../../orchestrator/team/team-record.js";
import { recoverDamagedTeam } from "../../orchestrator/team/team-recover.js";
import { teamTmux } from "../../orchestrator/team/team-tmux.js";
import { answeringHub } from "../../server/hub-server.js";
import { hubSocketPath } from "../../store/remote/protocol.js";
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
  portBase?: number;
}

function count(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 32)
    throw new BatonError("usage", `-n ${value}: a team has 1 to 32 agents`, "e.g. baton up -n 4");
  return n;
}

function port(value: string): number {
  const n = Number(value);
  const { min, max } = TEAM_BOUNDS.portBase;
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new BatonError(
      "usage",
      `--port-base ${value} is not a usable port`,
      `pick one from ${min} to ${max}`,
    );
  return n;
}

/** The main checkout of the repository the command runs in (where `.baton/` is). */
export function repositoryRoot(): string {
  return hubRootOf(findTree(process.cwd()));
}

/** This CLI's own script: the simulated agents and the hub window run it with this Node. */
export const cliScript = () => fileURLToPath(import.meta.url);

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
    .option("--headless", "no tmux: each agent runs baton's worker loop (baton work) as a background process")
    .option(
      "--port-base <port>",
      "first port of the first agent's block of ten (default: team.port_base, 4100)",
      port,
    )
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

The "team" section of .baton/config.json: "setup" runs in each new worktree
before its agent starts (a failure stops up, with its output); "run" starts
beside each agent in a window NAME.run with its environment (a dev server on
$BATON_PORT: status shows http://127.0.0.1:PORT); "max_agents" bounds the team.

--headless: no tmux. Each agent is a background process in its own process
group running baton's worker loop (baton work --agent HOST; the simulated
agent runs as it is), its output in .baton/logs/NAME.log; a hub (baton serve)
is started the same way unless one runs. status shows their pids; down sends
SIGTERM, then SIGKILL after 10 s; the hub restarts one that dies, once.
Then: baton status, baton attach [AGENT], baton nudge AGENT TEXT, baton spawn,
baton stop AGENT, baton down.`,
    )
    .action(
      action(async (ctx, o: UpFlags) => {
        const root = repositoryRoot();
        const ws = await ctx.workspace(); // refuses a repository without .baton/ before anything starts
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
            headless: o.headless === true,
            portBase: o.portBase,
            team: ws.config.team,
            cli: cliScript(),
            now: ctx.now(),
            hubRuns: async () => (await answeringHub(hubSocketPath(ws.hub.store.location))) !== undefined,
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
    .option(
      "--force",
      "kill at once, without asking the agents to quit; also clears a damaged .baton/team.json",
    )
    .addHelpText(
      "after",
      `
An agent whose host has said nothing since it started (still on a first-run
screen such as "trust this folder?") gets its window closed instead: a quit
command typed there would answer the question. Worktrees, branches and the
database are kept: baton cleanup removes worktrees. A damaged .baton/team.json
makes up and down refuse; down --force then kills the tmux session named for
the repository (if there is one) and moves the record aside as
.baton/team.json.damaged-<time>.`,
    )
    .action(
      action(async (ctx, o: { force?: boolean }) => {
        const root = repositoryRoot();
        let record: TeamRecord;
        try {
          record = requireTeam(root);
        } catch (error) {
          if (!o.force || !(error instanceof BatonError) || error.code !== "invalid_input") throw error;
          const recovered = await recoverDamagedTeam(root, teamTmux(), ctx.now());
          ctx.out.result({ recovered }, () => [
            recovered.session
              ? `killed the tmux session ${recovered.session}`
              : "no tmux session of this repository was running",
            `moved the damaged record to ${recovered.savedAs}`,
            "headless agents, if any, are not known from a damaged record: look for them with ps",
          ]);
          return;
        }
        const ws = await ctx.workspace();
        const result = await teamDown(record, ws.hub, { force: o.force });
        const where = record.session
          ? result.session
            ? ` and the tmux session ${result.session}`
            : " (their tmux session was already gone)"
          : result.hubStopped
            ? " and the team's hub"
            : "";
        ctx.out.result({ ...result }, () => [
          `stopped ${record.agents.length} agent(s)${where}`,
          ...(result.killed.length
            ? [`${o.force ? "killed" : "killed after the grace period"}: ${result.killed.join(", ")}`]
            : []),
          ...(result.closed.length
            ? [
                `closed without typing anything (not started yet, maybe on a first-run screen): ${result.closed.join(", ")}`,
              ]
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
        if (!record.session)
          throw new BatonError(
            "invalid_state",
            "the team is headless: it has no terminal to attach to",
            "read an agent's output in .baton/logs/NAME.log; see the team with baton status",
          );
        const wanted = agent ? (findTeamAgent(record, agent).paneId ?? undefined) : undefined;
        // A pane id of a server started anew may be another session's: attach at the session then.
        const pane =
          wanted && (await sessionPanes(teamTmux(record), record.session)).has(wanted) ? wanted : undefined;
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
        const agent = findTeamAgent(record, name);
        if (!agent.paneId)
          throw new BatonError(
            "invalid_state",
            `${agent.name} has no terminal (a headless agent)`,
            `send it a message: baton send ${agent.name} TEXT`,
          );
        // Only a pane of the team's session: after a tmux server restart the id may be someone else's shell.
        const tmux = teamTmux(record);
        if (!record.session || !(await sessionPanes(tmux, record.session)).get(agent.paneId))
          throw new BatonError("invalid_state", `${agent.name}'s window is gone`, {
            cli: "see the team with baton status; baton down clears a team that is gone",
            tool: "see the team with get_project_info",
          });
        await tmux.sendText(agent.paneId, text, { submit: true });
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
          hangOnce: (process.env.BATON_SIM_HANG_ONCE ?? "").split(",").includes(me),
          ask: simKnob(process.env.BATON_SIM_ASK, me),
          // Names, comma-separated: the agents that pay no heed to a stop request.
          ignoreStop: (process.env.BATON_SIM_IGNORE_STOP ?? "").split(",").includes(me),
          say: (line) => process.stdout.write(`${line}\n`),
          signal: stop.signal,
        });
      }),
    );
}

function startedLines(record: TeamRecord): string[] {
  return [
    record.session
      ? `team up in tmux session ${record.session}:`
      : "team up, headless (output in .baton/logs/NAME.log):",
    ...record.agents.map((a) => `  ${agentLine(a)}`),
    record.session
      ? "next: baton status · baton attach [AGENT] · baton nudge AGENT TEXT · baton spawn · baton stop AGENT · baton down"
      : "next: baton status · baton spawn · baton stop AGENT · baton down",
  ];
}

/** One agent as up and spawn show it: its dev server's URL when a run script started one, else its ports. */
export function agentLine(a: TeamRecord["agents"][number]): string {
  const where = a.runPaneId || a.runProcess ? `http://127.0.0.1:${a.port}` : `ports ${a.port}-${a.port + 9}`;
  const pid = a.process ? `  pid ${a.process.pid}` : "";
  return `${a.name.padEnd(12)} ${a.role.padEnd(10)} ${(a.branch ?? "(shared tree)").padEnd(20)} ${where}${pid}`;
}
