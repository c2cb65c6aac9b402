/**
 * `npm run bench`: baton's throughput and latency on this machine, with the
 * lock-file baseline measured in the same run. Prints one table and checks the
 * targets of the foundation issue.
 *
 *   BENCH_QUICK=1 npm run bench     shorter runs, for a smoke test
 *   npm run bench -- compare locks  only these sections (also BENCH_ONLY=compare,locks):
 *                                   compare (baton direct / through the hub / BullMQ / Redis Lua),
 *                                   claims, locks, lockfile, list, wake, mcp, hook, status,
 *                                   hub (`baton serve`: wake-up, 50 SSE streams, MCP over HTTP, RSS),
 *                                   team (`baton up`: up → ready, message → next turn, 16 idle agents),
 *                                   web (the web app: bundle, first load, ask → visible, 20 open pages)
 *   BENCH_COMPARE=hub,bullmq        in compare, only the configurations whose name has one of these
 *   BENCH_ROUNDS=5                  rounds of compare (default 3, 1 when quick)
 *   REDIS_URL=redis://...           the Redis for compare (default 127.0.0.1:6379, else a redis-server it starts)
 *   BENCH_OWN_REDIS=1               compare on a redis-server of its own, shared with nothing
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { initWorkspaceFiles, SqliteStore } from "../dist/index.js";
import { benchCompare } from "./compare.mjs";
import { benchHub } from "./hub.mjs";
import { runWorkers } from "./lib/processes.mjs";
import { printTable, rowFromRun, summarise } from "./lib/stats.mjs";
import { wakeLatencies } from "./lib/wake.mjs";
import { benchTeam } from "./team.mjs";
import { benchWeb } from "./web.mjs";

const here = import.meta.dirname;
const quick = process.env.BENCH_QUICK === "1";
const scratch = mkdtempSync(join(tmpdir(), "baton-bench-"));
const rows = [];
const checks = [];
const SECTIONS = [
  "compare",
  "claims",
  "locks",
  "lockfile",
  "list",
  "wake",
  "mcp",
  "hook",
  "status",
  "hub",
  "team",
  "web",
];
const only = [...process.argv.slice(2), ...(process.env.BENCH_ONLY?.split(",") ?? [])]
  .map((s) => s.trim())
  .filter(Boolean);
for (const name of only)
  if (!SECTIONS.includes(name))
    throw new Error(`bench: no section "${name}"; sections: ${SECTIONS.join(", ")}`);
const runs = (section) => only.length === 0 || only.includes(section);

function log(text) {
  process.stderr.write(`${text}\n`);
}

async function seedTasks(path, count) {
  const store = new SqliteStore({ path });
  for (let i = 0; i < count; i++) {
    await store.addTask({ actor: "bench", prefix: "T", queue: "tasks", title: `task ${i}`, maxAttempts: 3 });
  }
  await store.close();
}

async function benchClaims(processes) {
  const perProcess = quick ? 1000 : 4000;
  const path = join(scratch, `claims-${processes}.db`);
  await seedTasks(path, perProcess * processes);
  log(`claims: ${processes} process(es) over ${perProcess * processes} tasks`);
  const run = await runWorkers(join(here, "workers/claim.mjs"), processes, (i) => [path, `agent-${i}`]);
  const row = rowFromRun("claim (SQLite, direct)", run);
  if (processes > 1) {
    row.notes = `share of fair: min ${Math.min(...row.shares).toFixed(2)}, max ${Math.max(...row.shares).toFixed(2)}`;
  }
  rows.push(row);
  return row;
}

async function benchLocks(processes) {
  const path = join(scratch, `locks-${processes}.db`);
  new SqliteStore({ path }).close();
  log(`lock + unlock: ${processes} process(es)`);
  const ms = quick ? 1000 : 3000;
  const run = await runWorkers(join(here, "workers/lock.mjs"), processes, (i) => [
    "store",
    path,
    `agent-${i}`,
    String(ms),
  ]);
  const conflicts = run.results.reduce((n, r) => n + r.conflicts, 0);
  rows.push(rowFromRun("lock + unlock (SQLite)", run, `${conflicts} conflicts (64 paths)`));
}

async function benchBaseline(processes) {
  const dir = join(scratch, `lockfiles-${processes}`);
  mkdirSync(dir);
  for (let i = 0; i < 500; i++) {
    writeFileSync(
      join(dir, `${String(i).padStart(5, "0")}.json`),
      JSON.stringify({ id: String(i), subject: `task ${i}`, status: "pending", blockedBy: [] }),
    );
  }
  const ms = quick ? 2000 : 5000;
  log(`baseline lock files: ${processes} process(es) for ${ms / 1000} s`);
  const run = await runWorkers(join(here, "baseline/lockfile-claim.mjs"), processes, (i) => [
    dir,
    `agent-${i}`,
    String(ms),
  ]);
  const row = rowFromRun("claim (baseline: lock file + JSON)", run, "500 task files");
  rows.push(row);
  return row;
}

/** A message committed by one process until `inbox --wait` (or a 50 ms poll) in another returns. */
async function benchWakeup(mode) {
  const repo = join(scratch, `wake-${mode}`);
  mkdirSync(repo);
  spawnSync("git", ["init", "-q", repo]);
  initWorkspaceFiles(repo);
  const count = quick ? 50 : 200;
  log(`wake-up latency (${mode}): ${count} messages`);
  const { latencies } = await wakeLatencies(repo, { receiver: mode, sender: "store", count });
  const { p50, p99 } = summarise(latencies);
  const row = {
    operation:
      mode === "wake" ? "wake-up: inbox --wait (socket notify)" : "wake-up: baseline, poll every 50 ms",
    processes: 2,
    opsPerSec: Number.NaN,
    p50,
    p99,
    notes: `${latencies.length} messages, commit → read returned`,
  };
  rows.push(row);
  return row;
}

/** Tool-call round trips through `baton mcp` over stdio, driven by the official MCP client. */
async function benchMcp() {
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const { StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js");
  const repo = join(scratch, "mcp");
  mkdirSync(repo);
  spawnSync("git", ["init", "-q", repo]);
  initWorkspaceFiles(repo);
  const count = quick ? 50 : 200;
  const warmup = 20;
  await seedTasks(join(repo, ".baton", "baton.db"), count + warmup);
  log(`MCP round trips over stdio: ${count} pairs each`);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [resolve(here, "../dist/cli/baton.js"), "mcp", "--as", "bench-agent"],
    cwd: repo,
    stderr: "inherit",
  });
  const client = new Client({ name: "baton-bench", version: "1" });
  await client.connect(transport);
  const perCall = {};
  const call = async (name, args = {}) => {
    const t0 = performance.now();
    const result = await client.callTool({ name, arguments: args });
    if (!perCall[name]) perCall[name] = [];
    perCall[name].push(performance.now() - t0);
    if (result.isError) throw new Error(`${name}: ${result.content[0].text}`);
  };
  const time = async (body) => {
    const latencies = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await body(i);
      latencies.push(performance.now() - t0);
    }
    return { latencies, wallMs: performance.now() - started };
  };
  // The first calls pay for module loading, statement preparation and JIT: not what an agent sees later.
  for (let i = 0; i < warmup; i++) {
    await call("claim_task");
    await call("complete_task", { result: "warm-up" });
    await call("lock_files", { paths: [`warm/file-${i}.ts`] });
    await call("unlock_files", { paths: [`warm/file-${i}.ts`] });
  }
  for (const name of Object.keys(perCall)) perCall[name] = [];
  const claims = await time(async () => {
    await call("claim_task");
    await call("complete_task", { result: "ok" });
  });
  const locks = await time(async (i) => {
    await call("lock_files", { paths: [`src/file-${i % 16}.ts`] });
    await call("unlock_files", { paths: [`src/file-${i % 16}.ts`] });
  });
  await client.close();
  const row = (operation, latencies, wallMs, notes) => {
    const { p50, p99 } = summarise(latencies);
    return { operation, processes: 2, opsPerSec: (latencies.length / wallMs) * 1000, p50, p99, notes };
  };
  const single = ["claim_task", "complete_task", "lock_files", "unlock_files"].map((name) =>
    row(
      `MCP ${name} (stdio)`,
      perCall[name],
      name.includes("task") ? claims.wallMs / 2 : locks.wallMs / 2,
      "one tool call, round trip",
    ),
  );
  rows.push(
    ...single,
    row("MCP claim_task + complete_task (stdio)", claims.latencies, claims.wallMs, "the pair, round trips"),
    row("MCP lock_files + unlock_files (stdio)", locks.latencies, locks.wallMs, "the pair, round trips"),
  );
  return single;
}

/**
 * One edit-guard hook call, as a host makes it on every edit: a whole process
 * reading the hook JSON and answering. Three ways to start it, interleaved so
 * the machine's noise falls on all alike: `baton` on PATH (what connect writes),
 * node directly, and `npx --no-install baton` (the baseline it replaced).
 */
async function benchHookCall() {
  const repo = join(scratch, "hook");
  mkdirSync(join(repo, "src"), { recursive: true });
  spawnSync("git", ["init", "-q", repo]);
  initWorkspaceFiles(repo);
  const cli = resolve(here, "../dist/cli/baton.js");
  // A project install of baton, as npx finds it, and a `baton` on PATH, as a global install gives.
  mkdirSync(join(repo, "node_modules", ".bin"), { recursive: true });
  symlinkSync(cli, join(repo, "node_modules", ".bin", "baton"));
  writeFileSync(join(repo, "package.json"), '{"name":"hook-bench","private":true}\n');
  const bin = join(scratch, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "baton"), `#!/bin/sh\nexec '${process.execPath}' '${cli}' "$@"\n`, { mode: 0o755 });
  if (spawnSync(process.execPath, [cli, "lock", "src/a.ts", "--as", "other"], { cwd: repo }).status !== 0)
    throw new Error("could not lock src/a.ts");
  const input = JSON.stringify({
    hook_event_name: "PreToolUse",
    tool_name: "Edit",
    tool_input: { file_path: join(repo, "src/a.ts") },
    cwd: repo,
  });
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, BATON_AGENT: "claude-1" };
  const ways = {
    path: ["baton", ["hook", "pre-edit", "--host", "claude"]],
    node: [process.execPath, [cli, "hook", "pre-edit", "--host", "claude"]],
    npx: ["npx", ["--no-install", "baton", "hook", "pre-edit", "--host", "claude"]],
  };
  const walls = { path: [], node: [], npx: [] };
  const runs = quick ? 5 : 20;
  log(`edit-guard hook calls: ${runs} of each, interleaved`);
  for (let i = 0; i < runs + 1; i++) {
    for (const [way, [command, args]] of Object.entries(ways)) {
      const t0 = performance.now();
      const result = spawnSync(command, args, { cwd: repo, input, encoding: "utf8", env });
      const wall = performance.now() - t0;
      if (!result.stdout.includes('"permissionDecision":"deny"'))
        throw new Error(`hook via ${way} did not deny: ${result.stdout}${result.stderr}`);
      if (i > 0) walls[way].push(wall); // the first round warms the file cache
    }
  }
  const row = (operation, latencies, notes) => {
    const { p50, p99 } = summarise(latencies);
    return { operation, processes: 1, opsPerSec: 1000 / p50, p50, p99, notes };
  };
  const result = {
    path: row("hook pre-edit: `baton` on PATH (wall)", walls.path, "what connect writes; denies"),
    node: row("hook pre-edit: node baton.js (wall)", walls.node, "node directly"),
    npx: row("hook pre-edit: baseline npx --no-install (wall)", walls.npx, "what connect wrote before"),
  };
  rows.push(result.path, result.node, result.npx);
  return result;
}

async function benchTaskList() {
  const repo = join(scratch, "repo");
  mkdirSync(repo);
  spawnSync("git", ["init", "-q", repo]);
  initWorkspaceFiles(repo);
  await seedTasks(join(repo, ".baton", "baton.db"), 1000);
  const cli = resolve(here, "../dist/cli/baton.js");
  const runs = quick ? 10 : 30;
  log(`baton task list --json over 1,000 tasks: ${runs} runs`);
  const walls = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    const result = spawnSync(process.execPath, [cli, "task", "list", "--json"], {
      cwd: repo,
      encoding: "utf8",
    });
    const wall = performance.now() - t0;
    if (result.status !== 0) throw new Error(result.stderr);
    if (JSON.parse(result.stdout).tasks.length !== 1000)
      throw new Error("task list did not return 1,000 tasks");
    if (i >= 2) walls.push(wall); // the first runs warm the file cache
  }
  const { p50, p99 } = summarise(walls);
  const row = {
    operation: "`baton task list --json`, 1,000 tasks (wall)",
    processes: 1,
    opsPerSec: 1000 / p50,
    p50,
    p99,
    notes: "whole CLI process",
  };
  rows.push(row);
  return row;
}

/**
 * The human's first screen: `baton status` in one process against the four
 * commands a human ran before it existed (inbox, questions --open, approvals
 * --open, escalations), interleaved, over a team of 20 agents, 500 tasks, 30
 * questions, 30 approvals and hostile text in every title (the gate that
 * neutralises control characters is on the measured path).
 */
async function benchStatus() {
  const repo = join(scratch, "status");
  mkdirSync(repo);
  spawnSync("git", ["init", "-q", repo]);
  initWorkspaceFiles(repo);
  const store = new SqliteStore({ path: join(repo, ".baton", "baton.db") });
  await store.joinAgent({ actor: "lea", kind: "human" });
  for (let i = 0; i < 20; i++) await store.joinAgent({ actor: `agent-${i}` });
  for (let i = 0; i < 500; i++)
    await store.addTask({
      actor: `agent-${i % 20}`,
      prefix: "T",
      queue: "tasks",
      title: `task ${i} \u001b[2J\u202e`,
      maxAttempts: 3,
    });
  for (let i = 0; i < 20; i++) await store.claimTask({ actor: `agent-${i}`, ttlMs: 3_600_000 });
  for (let i = 0; i < 30; i++) {
    await store.askQuestion({ actor: `agent-${i % 20}`, text: `question ${i}?`, options: null, task: null });
    await store.requestApproval({ actor: `agent-${i % 20}`, action: `deploy ${i}`, plan: null, task: null });
    await store.sendMessage({ actor: `agent-${i % 20}`, kind: "direct", to: "lea", body: `note ${i}` });
  }
  await store.close();
  const cli = resolve(here, "../dist/cli/baton.js");
  const run = (args) => {
    const result = spawnSync(process.execPath, [cli, "--as", "lea", ...args], {
      cwd: repo,
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`${args.join(" ")}: ${result.stderr}`);
    return result.stdout;
  };
  const ways = {
    status: () => {
      if (!run(["status"]).includes("Waiting for you (lea): 90"))
        throw new Error("status did not list 90 items");
    },
    four: () => {
      for (const args of [["inbox"], ["questions", "--open"], ["approvals", "--open"], ["escalations"]])
        run(args);
    },
  };
  const walls = { status: [], four: [] };
  const runs = quick ? 5 : 15;
  log(`human's first screen: ${runs} runs of each, interleaved`);
  for (let i = 0; i < runs + 1; i++) {
    for (const [way, go] of Object.entries(ways)) {
      const t0 = performance.now();
      go();
      if (i > 0) walls[way].push(performance.now() - t0);
    }
  }
  const row = (operation, latencies, notes) => {
    const { p50, p99 } = summarise(latencies);
    return { operation, processes: 1, opsPerSec: 1000 / p50, p50, p99, notes };
  };
  const result = {
    status: row("`baton status` as a human (wall)", walls.status, "90 items wait; 500 tasks, 20 agents"),
    four: row("baseline: inbox + questions + approvals + escalations (wall)", walls.four, "4 processes"),
  };
  rows.push(result.status, result.four);
  return result;
}

try {
  const compare = runs("compare") ? await benchCompare({ scratch, quick, log }) : undefined;
  const claims = {};
  if (runs("claims")) for (const n of [1, 2, 4, 8]) claims[n] = await benchClaims(n);
  if (runs("locks")) {
    await benchLocks(1);
    await benchLocks(8);
  }
  const baseline = runs("lockfile") ? await benchBaseline(8) : undefined;
  const list = runs("list") ? await benchTaskList() : undefined;
  let wake;
  if (runs("wake")) {
    wake = await benchWakeup("wake");
    await benchWakeup("poll");
  }
  const mcp = runs("mcp") ? await benchMcp() : undefined;
  const hook = runs("hook") ? await benchHookCall() : undefined;
  const status = runs("status") ? await benchStatus() : undefined;
  const hub = runs("hub") ? await benchHub({ scratch, quick, log }) : undefined;
  if (hub) rows.push(...hub.rows);
  const team = runs("team") ? await benchTeam({ scratch, quick, log }) : undefined;
  if (team) {
    rows.push(...team.rows);
    checks.push(...team.checks);
  }
  const web = runs("web") ? await benchWeb({ scratch, quick, log }) : undefined;
  if (web) {
    rows.push(...web.rows);
    checks.push(...web.checks);
  }

  console.log(
    `\nbaton benchmarks — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${quick ? "quick" : "full"} run${only.length ? ` (${only.join(", ")})` : ""}\n`,
  );
  if (rows.length > 0) printTable(rows);
  compare?.print();

  const eight = claims[8];
  if (eight) {
    checks.push([
      `claims/s with 8 processes ≥ 5,000`,
      eight.opsPerSec >= 5000,
      Math.round(eight.opsPerSec).toLocaleString("en-US"),
    ]);
    checks.push([`claim p99 with 8 processes ≤ 10 ms`, eight.p99 <= 10, `${eight.p99.toFixed(2)} ms`]);
  }
  if (eight && baseline) {
    const ratio = eight.opsPerSec / baseline.opsPerSec;
    checks.push([`≥ 100× the lock-file baseline (8 processes)`, ratio >= 100, `${Math.round(ratio)}×`]);
  }
  if (list)
    checks.push([
      `\`baton task list --json\` over 1,000 tasks ≤ 150 ms`,
      list.p50 <= 150,
      `p50 ${list.p50.toFixed(0)} ms, p99 ${list.p99.toFixed(0)} ms`,
    ]);
  for (const row of mcp ?? []) {
    checks.push([
      `${row.operation} round trip p99 ≤ 5 ms`,
      row.p99 <= 5,
      `p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms`,
    ]);
  }
  if (hook)
    checks.push([
      "hook pre-edit through `baton` on PATH ≤ ½ of npx --no-install (p50)",
      hook.path.p50 <= hook.npx.p50 / 2,
      `${hook.path.p50.toFixed(0)} ms vs ${hook.npx.p50.toFixed(0)} ms`,
    ]);
  if (status)
    checks.push([
      "`baton status` (one screen) faster than the 4 commands it replaces (p50)",
      status.status.p50 < status.four.p50,
      `${status.status.p50.toFixed(0)} ms vs ${status.four.p50.toFixed(0)} ms`,
    ]);
  if (wake)
    checks.push([
      `wake-up p99 ≤ 5 ms`,
      wake.p99 <= 5,
      `p50 ${wake.p50.toFixed(2)} ms, p99 ${wake.p99.toFixed(2)} ms`,
    ]);
  if (compare) checks.push(...compare.checks);
  if (hub) checks.push(...hub.checks);
  console.log("\ntargets");
  for (const [name, ok, value] of checks) console.log(`  ${ok ? "✓" : "✗"} ${name}: ${value}`);
  if (eight)
    console.log(
      `\nper-process share of the 8-process claims (1.00 = a fair share): ${eight.shares.map((s) => s.toFixed(2)).join(" ")}`,
    );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
