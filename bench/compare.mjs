/**
 * baton against what a team would use instead, on the same machine in the same
 * run: claim-next → complete over no-op tasks and lock + unlock, for baton
 * direct (each process opens SQLite), baton through the hub (`baton serve`
 * running in the repository), BullMQ's Worker and a Redis Lua lease script on
 * the local Redis. Every configuration runs once per round, interleaved, for
 * several rounds, so the machine's noise (2 shared cores) falls on all alike;
 * each figure printed is the median over the rounds. Every claim run is
 * checked exactly-once.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { initWorkspaceFiles, SqliteStore } from "../dist/index.js";
import { defineLeaseCommands } from "./baseline/redis-lease.mjs";
import { hubAvailable, startHub } from "./lib/hub.mjs";
import { runWorkers } from "./lib/processes.mjs";
import { deleteKeys, freePort, openRedis } from "./lib/redis.mjs";
import { printGrid, rowFromRun } from "./lib/stats.mjs";

const here = import.meta.dirname;
const cli = resolve(here, "../dist/cli/baton.js");
const PROCESSES = [1, 2, 4, 8];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Throws unless the ids completed are exactly `expected`, each once. */
function checkExactlyOnce(label, expected, completed) {
  const counts = new Map();
  for (const id of completed) counts.set(id, (counts.get(id) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  const missing = expected.filter((id) => !counts.has(id));
  const known = new Set(expected);
  const unknown = [...counts.keys()].filter((id) => !known.has(id));
  if (twice.length || missing.length || unknown.length || completed.length !== expected.length)
    throw new Error(
      `${label}: not exactly once: ${completed.length} completions of ${expected.length} tasks; ` +
        `twice: ${twice.slice(0, 5).join(", ") || "none"}; missing: ${missing.slice(0, 5).join(", ") || "none"}; ` +
        `unknown: ${unknown.slice(0, 5).join(", ") || "none"}`,
    );
}

export async function benchCompare({ scratch, quick, log }) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
  const perProcess = quick ? 300 : 1000;
  const lockMs = quick ? 1000 : 1500;
  const redis = await openRedis(scratch);
  const hub = hubAvailable(cli);
  log(
    `compare: ${redis.info} at ${redis.url}, keys under ${redis.prefix}; hub ${hub ? "available" : "not in this build"}`,
  );
  try {
    // One seeded database per task count, copied for every run (seeding 12,000 tasks takes seconds).
    const templates = {};
    const expectedIds = {};
    for (const n of PROCESSES) {
      const path = join(scratch, `template-${n}.db`);
      const store = new SqliteStore({ path });
      const ids = [];
      for (let i = 0; i < perProcess * n; i++) {
        ids.push(
          (
            await store.addTask({
              actor: "bench",
              prefix: "T",
              queue: "tasks",
              title: `task ${i}`,
              maxAttempts: 3,
            })
          ).id,
        );
      }
      await store.close();
      templates[n] = path;
      expectedIds[n] = ids;
    }

    let runNo = 0;
    const freshRepo = (n) => {
      const repo = join(scratch, `compare-${++runNo}`);
      mkdirSync(repo);
      spawnSync("git", ["init", "-q", repo]);
      initWorkspaceFiles(repo);
      if (n) copyFileSync(templates[n], join(repo, ".baton", "baton.db"));
      return repo;
    };

    const batonClaims = (mode, viaHub) => async (n, label) => {
      const repo = freshRepo(n);
      const db = join(repo, ".baton", "baton.db");
      const server = viaHub ? await startHub(cli, repo, await freePort()) : undefined;
      let run;
      try {
        run = await runWorkers(join(here, "workers/claim-complete-loop.mjs"), n, (i) => [
          mode,
          mode === "store" ? db : repo,
          `agent-${i}`,
        ]);
      } finally {
        await server?.stop();
      }
      checkExactlyOnce(
        label,
        expectedIds[n],
        run.results.flatMap((r) => r.ids),
      );
      const store = new SqliteStore({ path: db });
      const done = (await store.listTasks({ status: ["done"] })).length;
      await store.close();
      if (done !== expectedIds[n].length)
        throw new Error(`${label}: ${done} of ${expectedIds[n].length} tasks done in the store`);
      const via = [...new Set(run.results.map((r) => r.via))];
      if (viaHub && via.includes("SqliteStore"))
        throw new Error(`${label}: a worker opened SQLite itself while baton serve ran`);
      rmSync(repo, { recursive: true, force: true });
      return { run, via };
    };

    const bullmq = async (n, label) => {
      const name = `claims-${++runNo}`;
      const prefix = redis.prefix.slice(0, -1); // BullMQ adds its own ":"
      const queue = new Queue(name, { connection: { url: redis.url }, prefix });
      const ids = Array.from({ length: perProcess * n }, (_, i) => `job-${i}`);
      for (let i = 0; i < ids.length; i += 1000)
        await queue.addBulk(
          ids.slice(i, i + 1000).map((jobId) => ({ name: "noop", data: {}, opts: { jobId } })),
        );
      const run = await runWorkers(join(here, "baseline/bullmq-worker.mjs"), n, (i) => [
        redis.url,
        prefix,
        name,
        `agent-${i}`,
      ]);
      checkExactlyOnce(
        label,
        ids,
        run.results.flatMap((r) => r.ids),
      );
      const completed = await queue.getCompletedCount();
      await queue.close();
      if (completed !== ids.length)
        throw new Error(`${label}: BullMQ counts ${completed} of ${ids.length} jobs completed`);
      await deleteKeys(redis.url, `${redis.prefix}${name}:`);
      return { run };
    };

    const lua = async (n, label) => {
      const prefix = `${redis.prefix}lease-${++runNo}:`;
      const client = new Redis(redis.url);
      const lease = defineLeaseCommands(client, prefix);
      const ids = Array.from({ length: perProcess * n }, (_, i) => `task-${i}`);
      const seed = client.pipeline();
      for (const [i, id] of ids.entries()) seed.zadd(lease.keys.ready, i, id);
      await seed.exec();
      const run = await runWorkers(join(here, "baseline/redis-lease-claim.mjs"), n, (i) => [
        redis.url,
        prefix,
        `agent-${i}`,
      ]);
      checkExactlyOnce(
        label,
        ids,
        run.results.flatMap((r) => r.ids),
      );
      // The server's own count, one completion per id, is the second witness.
      const done = await client.hgetall(lease.keys.done);
      client.disconnect();
      const counted = Object.values(done);
      if (counted.length !== ids.length || counted.some((c) => c !== "1"))
        throw new Error(`${label}: Redis counted ${counted.length} tasks completed, not each once`);
      await deleteKeys(redis.url, prefix);
      return { run };
    };

    const batonLocks = (mode, viaHub) => async (n) => {
      const repo = freshRepo(0);
      const db = join(repo, ".baton", "baton.db");
      if (mode === "store") await new SqliteStore({ path: db }).close();
      const server = viaHub ? await startHub(cli, repo, await freePort()) : undefined;
      try {
        const run = await runWorkers(join(here, "workers/lock.mjs"), n, (i) => [
          mode,
          mode === "store" ? db : repo,
          `agent-${i}`,
          String(lockMs),
        ]);
        const via = [...new Set(run.results.map((r) => r.via))];
        if (viaHub && via.includes("SqliteStore"))
          throw new Error("lock baton hub: a worker opened SQLite itself while baton serve ran");
        return { run, via };
      } finally {
        await server?.stop();
        rmSync(repo, { recursive: true, force: true });
      }
    };

    const redisLocks = async (n) => {
      const prefix = `${redis.prefix}locks-${++runNo}:`;
      const run = await runWorkers(join(here, "baseline/redis-lock.mjs"), n, (i) => [
        redis.url,
        prefix,
        `agent-${i}`,
        String(lockMs),
      ]);
      await deleteKeys(redis.url, prefix);
      return { run };
    };

    const configs = [
      ...PROCESSES.flatMap((n) => [
        { kind: "claim", system: "baton direct", n, go: batonClaims("workspace", false) },
        { kind: "claim", system: "baton hub", n, go: hub ? batonClaims("workspace", true) : undefined },
        { kind: "claim", system: "BullMQ Worker", n, go: bullmq },
        { kind: "claim", system: "Redis Lua lease", n, go: lua },
      ]),
      { kind: "claim", system: "baton bare store", n: 8, go: batonClaims("store", false) },
      { kind: "lock", system: "baton direct", n: 8, go: batonLocks("workspace", false) },
      { kind: "lock", system: "baton hub", n: 8, go: hub ? batonLocks("workspace", true) : undefined },
      { kind: "lock", system: "baton bare store", n: 8, go: batonLocks("store", false) },
      { kind: "lock", system: "Redis SET NX PX + CAD", n: 8, go: redisLocks },
    ];
    const only = process.env.BENCH_COMPARE?.split(",").map((s) => s.trim().toLowerCase());
    const chosen = configs.filter(
      (c) => !only || only.some((word) => `${c.kind} ${c.system}`.toLowerCase().includes(word)),
    );
    const samples = new Map(chosen.map((c) => [c, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const c of chosen) {
        if (!c.go) continue;
        const label = `${c.kind} ${c.system}, ${c.n} process(es), round ${round}`;
        log(`compare: ${label}`);
        const { run, via } = await c.go(c.n, label);
        const row = rowFromRun(label, run);
        samples
          .get(c)
          .push({ ...row, via, conflicts: run.results.reduce((s, r) => s + (r.conflicts ?? 0), 0) });
      }
    }

    const results = chosen.map((c) => {
      const s = samples.get(c);
      if (!c.go) return { ...c, missing: true };
      return {
        ...c,
        opsPerSec: median(s.map((r) => r.opsPerSec)),
        lowest: Math.min(...s.map((r) => r.opsPerSec)),
        highest: Math.max(...s.map((r) => r.opsPerSec)),
        p50: median(s.map((r) => r.p50)),
        p99: median(s.map((r) => r.p99)),
        minShare: median(s.map((r) => Math.min(...r.shares))),
        worstShare: Math.min(...s.flatMap((r) => r.shares)),
        via: [...new Set(s.flatMap((r) => r.via ?? []))].join(", "),
        conflicts: median(s.map((r) => r.conflicts)),
      };
    });
    return { results, print: () => printComparison(results, rounds), checks: targets(results, hub) };
  } finally {
    await redis.stop();
  }
}

const fmtRate = (r) => (Number.isFinite(r) ? Math.round(r).toLocaleString("en-US") : "-");
const fmtMs = (ms) =>
  Number.isFinite(ms) ? (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`) : "-";
const fmtX = (x) => (Number.isFinite(x) ? `×${x.toFixed(2)}` : "-");

function printComparison(results, rounds) {
  const bull = (n) =>
    results.find((r) => r.kind === "claim" && r.system === "BullMQ Worker" && r.n === n && !r.missing);
  const redisLock = results.find((r) => r.kind === "lock" && r.system.startsWith("Redis") && !r.missing);
  const header = [
    "operation",
    "system",
    "processes",
    "ops/s",
    "vs BullMQ",
    "p50",
    "p99",
    "p99 vs BullMQ",
    "min share",
    "notes",
  ];
  const cells = results.map((r) => {
    const what = r.kind === "claim" ? "claim → complete" : "lock + unlock";
    if (r.missing)
      return [what, r.system, String(r.n), "-", "-", "-", "-", "-", "-", "hub: not available in this build"];
    const base = r.kind === "claim" ? bull(r.n) : redisLock;
    const vs = r.kind === "claim" ? "BullMQ" : "Redis";
    const notes = [`${fmtRate(r.lowest)}–${fmtRate(r.highest)}/s over ${rounds} round(s)`];
    if (r.via && r.via !== "SqliteStore") notes.push(`via ${r.via}`);
    if (r.kind === "lock") notes.push(`${Math.round(r.conflicts)} conflicts (64 paths)`);
    const direct = results.find(
      (d) => d.kind === r.kind && d.system === "baton direct" && d.n === r.n && !d.missing,
    );
    if (r.system === "baton hub" && direct)
      notes.push(
        `ops ${fmtX(r.opsPerSec / direct.opsPerSec)}, p99 ${fmtX(r.p99 / direct.p99)} vs baton direct`,
      );
    if (base && base !== r && r.kind === "lock")
      notes.push(`ops ${fmtX(r.opsPerSec / base.opsPerSec)}, p99 ${fmtX(r.p99 / base.p99)} vs ${vs}`);
    return [
      what,
      r.system,
      String(r.n),
      fmtRate(r.opsPerSec),
      r.kind === "claim" && base ? fmtX(r.opsPerSec / base.opsPerSec) : "-",
      fmtMs(r.p50),
      fmtMs(r.p99),
      r.kind === "claim" && base ? fmtX(r.p99 / base.p99) : "-",
      r.n > 1 ? r.minShare.toFixed(2) : "-",
      notes.join("; "),
    ];
  });
  console.log(
    `\nbaton against BullMQ and Redis — median of ${rounds} interleaved round(s); every claim run checked exactly-once\n`,
  );
  printGrid(header, cells, [2, 3, 4, 5, 6, 7, 8]);
  console.log(`
claim → complete: no-op tasks added beforehand, each process claims the next and completes it until none is
  left; latency per task from the claim's request to the completion's acknowledgement (BullMQ: one turn of its
  worker loop, as its completion also fetches the next job). baton direct and baton hub run the same worker
  through openWorkspace() and the task service; hub = with \`baton serve\` running in the repository. baton bare
  store: SqliteStore itself, no services. lock + unlock: 64 paths, random, 8 processes for a fixed time; baton
  through the lease service (bare store: acquireLeases/releaseLeases); Redis: SET NX PX + Lua compare-and-delete.
min share: the slowest process's share of a fair split (1.00 = fair), median over the rounds.`);
}

/** The hub targets of issue 9, at 8 processes. */
function targets(results, hub) {
  const find = (kind, system, n = 8) =>
    results.find((r) => r.kind === kind && r.system === system && r.n === n && !r.missing);
  const checks = [];
  const hubClaims = find("claim", "baton hub");
  const direct = find("claim", "baton direct");
  const bull = find("claim", "BullMQ Worker");
  const hubLocks = find("lock", "baton hub");
  if (!hub) {
    checks.push([
      "hub targets (claims/s, p99, fair share, lock p99)",
      false,
      "hub: not available in this build",
    ]);
    return checks;
  }
  if (hubClaims && bull)
    checks.push([
      "hub claims/s (8 processes) ≥ BullMQ's",
      hubClaims.opsPerSec >= bull.opsPerSec,
      `${fmtRate(hubClaims.opsPerSec)} vs ${fmtRate(bull.opsPerSec)}`,
    ]);
  if (hubClaims && direct)
    checks.push([
      "hub claims/s (8 processes) ≥ 2× baton direct",
      hubClaims.opsPerSec >= 2 * direct.opsPerSec,
      `${fmtX(hubClaims.opsPerSec / direct.opsPerSec)} (${fmtRate(hubClaims.opsPerSec)} vs ${fmtRate(direct.opsPerSec)})`,
    ]);
  if (hubClaims) {
    checks.push(["hub claim → complete p99 (8 processes) ≤ 3 ms", hubClaims.p99 <= 3, fmtMs(hubClaims.p99)]);
    checks.push([
      "hub: every process ≥ 0.85 of its fair share (8 processes)",
      hubClaims.minShare >= 0.85,
      `min ${hubClaims.minShare.toFixed(2)} (median over rounds; lowest seen ${hubClaims.worstShare.toFixed(2)})`,
    ]);
  }
  if (hubLocks)
    checks.push(["hub lock + unlock p99 (8 processes) ≤ 3 ms", hubLocks.p99 <= 3, fmtMs(hubLocks.p99)]);
  return checks;
}
