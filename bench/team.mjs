/**
 * The orchestrator (`baton up`), each figure from issue 10's benchmark:
 *
 *   up → ready      `baton up -n 4` until every agent has reported its first
 *                   activity, with baton's simulated agents (sim); the CLI's own
 *                   start (a bare `baton --version`) beside it as the floor; and
 *                   with the real Claude Code (the tests' pinned one, their fake
 *                   model) until every agent's first turn has ended
 *   message → turn  a message sent to an idle interactive agent until its next
 *                   turn starts (its host's UserPromptSubmit hook), through the
 *                   hub's supervisor; the host is test/workers/fake-host.mjs, a
 *                   stand-in that reports its turns through baton's hooks
 *   16 idle         the hub's CPU and memory with 16 simulated agents idle
 *
 * Each part starts its own team on a tmux server of its own (BATON_TMUX_SOCKET)
 * in a fresh repository, and stops it.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { openWorkspace, SqliteStore } from "../dist/index.js";
import { fakeClaudeBin } from "../test/workers/fake-claude-bin.mjs";
import { claudeEnv, claudeFakeModel, claudeHome, claudeOnPath, claudeVersion } from "./lib/real-claude.mjs";
import { newRepo } from "./lib/repo.mjs";
import { summarise } from "./lib/stats.mjs";

const here = import.meta.dirname;
const cli = resolve(here, "../dist/cli/baton.js");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmtMs = (ms) => `${ms.toFixed(0)} ms`;

function baton(repo, args, env) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) throw new Error(`baton ${args.join(" ")}: ${result.stderr}`);
  return result;
}

/**
 * Polls the agents' first activity reports in the log (those `counts` accepts)
 * until `names` all have one; their times.
 */
async function firstReports(repo, names, timeoutMs = 60_000, counts = () => true) {
  const store = new SqliteStore({ path: join(repo, ".baton", "baton.db") });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const first = new Map();
      for (const e of await store.listEvents({ type: "agent.activity" }))
        if (!first.has(e.subject) && counts(e)) first.set(e.subject, e.at);
      if (names.every((n) => first.has(n))) return names.map((n) => first.get(n));
      if (Date.now() > deadline)
        throw new Error(`agents not ready: ${names.filter((n) => !first.has(n)).join(", ")}`);
      await sleep(20);
    }
  } finally {
    await store.close();
  }
}

async function upToReady(scratch, rounds, log) {
  const up = [];
  const floor = [];
  for (let i = 0; i < rounds; i++) {
    const repo = newRepo(scratch, `team-up-${i}`);
    const env = { BATON_TMUX_SOCKET: join(repo, "tmux.sock") };
    let t0 = performance.now();
    spawnSync(process.execPath, [cli, "--version"]);
    floor.push(performance.now() - t0);
    const wall0 = Date.now();
    t0 = performance.now();
    baton(repo, ["up", "-n", "4", "--agent", "sim"], env);
    const upMs = performance.now() - t0;
    const ready = await firstReports(repo, ["sim-1", "sim-2", "sim-3", "sim-4"]);
    up.push(Math.max(...ready) - wall0);
    log(`team: up -n 4 (sim) round ${i + 1}: command ${upMs.toFixed(0)} ms, all ready after ${up.at(-1)} ms`);
    baton(repo, ["down", "--force"], env);
    spawnSync("tmux", ["-S", env.BATON_TMUX_SOCKET, "kill-server"]);
  }
  return { up, floor };
}

/**
 * `baton up -n 4 --agent claude` with the real Claude Code (the pinned one the
 * tests drive) and the tests' fake model, which answers each first prompt with
 * a line of text: until every agent's first turn has ended (its Stop hook said
 * idle), so each started, passed its hooks and MCP server, and is ready for work.
 */
async function upToReadyClaude(scratch, rounds, log) {
  const startFakeModel = await claudeFakeModel(scratch);
  const bin = claudeOnPath(scratch);
  const names = ["claude-1", "claude-2", "claude-3", "claude-4"];
  const up = [];
  for (let i = 0; i < rounds; i++) {
    const repo = newRepo(scratch, `team-claude-${i}`);
    const home = join(scratch, `claude-home-${i}`);
    claudeHome(home, repo);
    const fake = await startFakeModel([[{ text: "Ready." }]]);
    const env = {
      BATON_TMUX_SOCKET: join(repo, "tmux.sock"),
      HOME: home,
      PATH: `${bin}:${process.env.PATH}`,
      TERM: "xterm-256color",
      ...claudeEnv(fake.url),
    };
    try {
      const wall0 = Date.now();
      const t0 = performance.now();
      baton(repo, ["up", "-n", "4", "--agent", "claude"], env);
      const upMs = performance.now() - t0;
      const ready = await firstReports(repo, names, 120_000, (e) => e.data?.after?.signal === "claude:Stop");
      up.push(Math.max(...ready) - wall0);
      log(
        `team: up -n 4 (claude) round ${i + 1}: command ${upMs.toFixed(0)} ms, all ready after ${up.at(-1)} ms`,
      );
    } finally {
      spawnSync(process.execPath, [cli, "down"], { cwd: repo, env: { ...process.env, ...env } });
      spawnSync("tmux", ["-S", env.BATON_TMUX_SOCKET, "kill-server"]);
      await fake.close();
    }
  }
  return up;
}

async function messageToTurn(scratch, count, log) {
  const repo = newRepo(scratch, "team-dispatch");
  const env = { BATON_TMUX_SOCKET: join(repo, "tmux.sock"), ...fakeClaudeBin(scratch, cli).env };
  baton(repo, ["up", "-n", "1", "--agent", "claude"], env);
  const store = new SqliteStore({ path: join(repo, ".baton", "baton.db") });
  const lea = await openWorkspace({ cwd: repo, as: "lea" });
  const latencies = [];
  try {
    const state = async () =>
      (await store.listAgents({ hungAfterMs: 60_000, offlineAfterMs: 60_000 })).find(
        (a) => a.name === "claude-1",
      )?.activity;
    for (let i = 0; i < count; i++) {
      for (let waited = 0; (await state())?.state !== "idle"; waited += 20) {
        if (waited > 30_000) throw new Error("claude-1 never went idle");
        await sleep(20);
      }
      const t0 = Date.now();
      await lea.messages.send("claude-1", `message ${i}`);
      for (let waited = 0; ; waited += 5) {
        const events = await store.listEvents({ type: "agent.activity", agent: "claude-1" });
        const turn = events.find((e) => e.at >= t0 && e.data?.after?.state === "working");
        if (turn) {
          latencies.push(turn.at - t0);
          break;
        }
        if (waited > 30_000) throw new Error(`message ${i} never started a turn`);
        await sleep(5);
      }
    }
  } finally {
    await lea.close();
    await store.close();
    baton(repo, ["down", "--force"], env);
    spawnSync("tmux", ["-S", env.BATON_TMUX_SOCKET, "kill-server"]);
  }
  log(`team: message → next turn, ${count} messages`);
  return latencies;
}

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
}

function rssKb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
}

async function idleSixteen(scratch, seconds, log) {
  const repo = newRepo(scratch, "team-16");
  // Sixteen is past team.max_agents' default (8): this team's config allows them.
  writeFileSync(
    join(repo, ".baton", "config.json"),
    `${JSON.stringify({ humans: ["lea"], team: { max_agents: 16 } })}\n`,
  );
  const env = { BATON_TMUX_SOCKET: join(repo, "tmux.sock") };
  baton(repo, ["up", "-n", "16", "--agent", "sim"], env);
  try {
    await firstReports(
      repo,
      Array.from({ length: 16 }, (_, i) => `sim-${i + 1}`),
    );
    await sleep(2000);
    const pid = JSON.parse(readFileSync(join(repo, ".baton", "hub.json"), "utf8")).pid;
    const before = cpuTicks(pid);
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const cpu = ((cpuTicks(pid) - before) * 10) / (performance.now() - t0);
    const rss = rssKb(pid);
    log(
      `team: 16 idle agents, hub pid ${pid}: ${(cpu * 100).toFixed(1)}% of a core, ${(rss / 1024).toFixed(1)} MB`,
    );
    return { cpu, rss };
  } finally {
    baton(repo, ["down", "--force"], env);
    spawnSync("tmux", ["-S", env.BATON_TMUX_SOCKET, "kill-server"]);
  }
}

export async function benchTeam({ scratch, quick, log }) {
  if (spawnSync("tmux", ["-V"]).status !== 0)
    throw new Error("bench team: tmux is not installed (apt-get install tmux)");
  const rows = [];
  const checks = [];
  const { up, floor } = await upToReady(scratch, quick ? 2 : 5, log);
  const u = summarise(up);
  const f = summarise(floor);
  rows.push({
    operation: "`baton up -n 4` (sim) → every agent ready",
    processes: 6,
    opsPerSec: Number.NaN,
    p50: u.p50,
    p99: u.p99,
    notes: `${up.length} rounds; worktrees, tmux, hub, first activity report`,
  });
  rows.push({
    operation: "baseline: `baton --version` (a bare CLI start)",
    processes: 1,
    opsPerSec: Number.NaN,
    p50: f.p50,
    p99: f.p99,
    notes: "the floor of any command",
  });
  const claudeUp = await upToReadyClaude(scratch, quick ? 1 : 3, log);
  const real = summarise(claudeUp);
  rows.push({
    operation: "`baton up -n 4` (real Claude Code, fake model) → every agent's first turn done",
    processes: 10,
    opsPerSec: Number.NaN,
    p50: real.p50,
    p99: real.p99,
    notes: `${claudeUp.length} round(s); Claude Code ${claudeVersion()} with its MCP server and hooks; ready = its first Stop hook`,
  });
  const turns = await messageToTurn(scratch, quick ? 5 : 20, log);
  const t = summarise(turns);
  rows.push({
    operation: "message → the idle agent's next turn starts",
    processes: 4,
    opsPerSec: Number.NaN,
    p50: t.p50,
    p99: t.p99,
    notes: `${turns.length} messages; hub supervisor types it in tmux; stand-in host`,
  });
  const idle = await idleSixteen(scratch, quick ? 5 : 15, log);
  rows.push({
    operation: "hub with 16 idle agents (sim)",
    processes: 18,
    opsPerSec: Number.NaN,
    p50: Number.NaN,
    p99: Number.NaN,
    notes: `CPU ${(idle.cpu * 100).toFixed(1)}% of a core, RSS ${(idle.rss / 1024).toFixed(1)} MB`,
  });
  checks.push(["message → next turn p50 ≤ 1 s", t.p50 <= 1000, `p50 ${fmtMs(t.p50)}, p99 ${fmtMs(t.p99)}`]);
  return { rows, checks };
}
