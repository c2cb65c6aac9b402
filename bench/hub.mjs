/**
 * The hub server (`baton serve`) as its clients see it, each figure against its
 * target from the hub issue:
 *
 *   wake-up   a message committed through the hub until `inbox --wait`, also
 *             through the hub, returns (p50 ≤ 0.3 ms, p99 ≤ 1 ms); the direct
 *             figure (no hub, both on the file) beside it, same run
 *   SSE       50 live streams of /api/v1/events; an event appended by another
 *             process, until each stream has it (p99 ≤ 20 ms)
 *   MCP       tool round trips over /mcp with the official client, 1 and 8
 *             concurrent clients (p99 ≤ 3 ms)
 *   RSS       the hub's resident memory idle, with 100 MCP sessions, after
 *             10,000 and after 100,000 tool calls (after 100k ≤ 1.2 × after
 *             10k); nothing forced: no GC call, no flag
 *
 * Every part starts its own hub in a fresh repository. Agents reach it with keys
 * a human made (`baton key create`, here the same service), as `Authorization:
 * Bearer`.
 */
import { execFile, fork } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { openWorkspace } from "../dist/index.js";
import { hubAvailable, startHub } from "./lib/hub.mjs";
import { runWorkers } from "./lib/processes.mjs";
import { freePort } from "./lib/redis.mjs";
import { newRepo } from "./lib/repo.mjs";
import { rowFromRun, summarise } from "./lib/stats.mjs";
import { wakeLatencies } from "./lib/wake.mjs";

const here = import.meta.dirname;
const cli = resolve(here, "../dist/cli/baton.js");
const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const HUMAN = "lea";
/** A key allows 100 requests at once, then 50 a second (rate-limit.ts); the clients keep under 90 a session. */
const CALLS_PER_SESSION = 80;
const MCP_TOOL = "list_tasks";
const MCP_ARGS = { mine: true };

const fmtMs = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
const fmtMb = (kb) => `${(kb / 1024).toFixed(1)} MB`;
const count = (n) => n.toLocaleString("en-US");

/** Joins `agents` and makes a key for each, as the human does with `baton key create` (before the hub runs). */
/** A fresh repository with a key per agent and `baton serve` running in it. */
async function keyedHub(scratch, name, agents) {
  const repo = newRepo(scratch, name);
  const keys = await makeKeys(repo, agents);
  const hub = await startHub(cli, repo, await freePort());
  return { repo, keys, hub, base: hubUrl(repo) };
}

async function makeKeys(repo, agents) {
  const ws = await openWorkspace({ cwd: repo, as: HUMAN });
  try {
    await ws.agents.join({ kind: "human" });
    const secrets = [];
    for (const agent of agents) {
      await ws.store.joinAgent({ actor: agent });
      secrets.push((await ws.access.createKey(agent)).secret);
    }
    return secrets;
  } finally {
    await ws.close();
  }
}

const names = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);

/** Where the hub running in `repo` serves HTTP (its record, .baton/hub.json, names the port). */
function hubUrl(repo) {
  return `http://127.0.0.1:${JSON.parse(readFileSync(join(repo, ".baton", "hub.json"), "utf8")).port}`;
}

/** The resident set of a process, in kB (Linux: /proc/PID/status). */
function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb);
}

function latencyRow(operation, processes, latencies, notes, opsPerSec = Number.NaN) {
  const { p50, p99 } = summarise(latencies);
  return { operation, processes, opsPerSec, p50, p99, notes };
}

/** Forks a worker that says "ready" first; resolves once it has, rejects if it dies before. */
async function forkReady(script, args) {
  const child = fork(script, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  await new Promise((resolve, reject) => {
    child.once("message", (m) => (m === "ready" ? resolve() : reject(new Error(`unexpected ${m}`))));
    child.once("exit", (code) => reject(new Error(`${script} exited early (${code})`)));
  });
  return child;
}

/** The next message from `child`, or an error if it exits first. */
function reply(child, what) {
  return new Promise((resolve, reject) => {
    const onExit = (code, signal) => reject(new Error(`${what}: worker exited (${code ?? signal})`));
    child.once("exit", onExit);
    child.once("message", (m) => {
      child.off("exit", onExit);
      resolve(m);
    });
  });
}

function closeWorkers(children) {
  return Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", resolve);
          child.send("close");
        }),
    ),
  );
}

/** Wake-up: the library figure (both processes on the file) and through a running hub, same count. */
async function benchWake({ scratch, quick, log, rows, checks }) {
  const messages = quick ? 100 : 300;
  log(`hub: wake-up, direct then through the hub: ${messages} messages each`);
  const direct = await wakeLatencies(newRepo(scratch, "hub-wake-direct"), {
    receiver: "wake",
    sender: "store",
    count: messages,
  });
  const repo = newRepo(scratch, "hub-wake");
  const hub = await startHub(cli, repo, await freePort());
  let served;
  try {
    served = await wakeLatencies(repo, { receiver: "wake", sender: "hub", count: messages });
  } finally {
    await hub.stop();
  }
  if (served.receiverVia !== "RemoteStore" || served.senderVia !== "RemoteStore")
    throw new Error(
      `hub wake-up: the receiver used ${served.receiverVia}, the sender ${served.senderVia}, not the hub`,
    );
  const note = `${messages} messages, sender's clock before commit → inbox --wait returned`;
  const directRow = latencyRow("wake-up: direct, both on the file (no hub)", 2, direct.latencies, note);
  const hubRow = latencyRow(
    "wake-up: through the hub, sender and waiter its socket clients",
    2,
    served.latencies,
    `${note}; + the hub's process`,
  );
  rows.push(directRow, hubRow);
  checks.push([
    "hub wake-up p50 ≤ 0.3 ms and p99 ≤ 1 ms",
    hubRow.p50 <= 0.3 && hubRow.p99 <= 1,
    `p50 ${fmtMs(hubRow.p50)}, p99 ${fmtMs(hubRow.p99)} (direct, same run: p50 ${fmtMs(directRow.p50)}, p99 ${fmtMs(directRow.p99)})`,
  ]);
}

/**
 * 50 SSE streams in 5 client processes; events appended first by a process on the
 * hub's socket client (stamped before each append), then by `baton log write`
 * commands through the hub (timed from the event's own `at`: a CLI process's
 * start is never counted).
 */
async function benchSse({ scratch, quick, log, rows, checks }) {
  const STREAMS = 50;
  const PROCESSES = 5;
  const events = quick ? 30 : 50;
  const cliEvents = quick ? 10 : 30;
  const { repo, keys, hub, base } = await keyedHub(scratch, "hub-sse", names("watcher", STREAMS));
  log(
    `hub: ${STREAMS} SSE streams in ${PROCESSES} processes; ${events} events appended, ${cliEvents} by the CLI`,
  );
  const perProcess = STREAMS / PROCESSES;
  const clients = [];
  try {
    for (let i = 0; i < PROCESSES; i++)
      clients.push(
        await forkReady(join(here, "workers/sse-clients.mjs"), [
          base,
          keys.slice(i * perProcess, (i + 1) * perProcess).join(","),
        ]),
      );
    let roundId = 0;
    /** Starts a round on every client, runs `commit`, and collects what each stream received. */
    const round = async (type, expected, commit) => {
      const id = ++roundId;
      const results = clients.map((child) => reply(child, `SSE round ${type}`));
      for (const child of clients) child.send({ id, type, count: expected });
      await commit();
      // Every event was committed: what has not arrived within 5 s is counted missing.
      const timer = setTimeout(() => {
        for (const child of clients) child.send({ stop: id });
      }, 5_000);
      const got = await Promise.all(results);
      clearTimeout(timer);
      // Per event: when the last of the streams had it.
      const last = {};
      for (const r of got)
        for (const [seq, ms] of Object.entries(r.slowest)) last[seq] = Math.max(last[seq] ?? 0, ms);
      return {
        latencies: got.flatMap((r) => r.latencies),
        last: Object.values(last),
        missing: got.reduce((n, r) => n + r.missing, 0),
      };
    };

    const appended = await round("bench.tick", events, async () => {
      const committer = fork(
        join(here, "workers/event-committer.mjs"),
        [join(repo, ".baton", "baton.db"), "5", String(events), "50"],
        { stdio: ["ignore", "inherit", "inherit", "ipc"] },
      );
      const [{ direct }] = await Promise.all([
        reply(committer, "event committer"),
        new Promise((r) => committer.once("exit", r)),
      ]);
      if (direct) throw new Error("SSE: the event committer lost the hub and wrote to the file");
    });
    const byCli = await round("bench.cli", cliEvents, async () => {
      for (let i = 0; i < cliEvents; i++) {
        await run(
          process.execPath,
          [cli, "log", "write", "bench.cli", `cli event ${i}`, "--as", "committer"],
          {
            cwd: repo,
          },
        );
        await sleep(50);
      }
    });

    const note = (r, n, from) => {
      const last = summarise(r.last);
      return `${n} events × ${STREAMS} streams, ${from} → chunk received; last stream per event p50 ${fmtMs(last.p50)}, p99 ${fmtMs(last.p99)}${r.missing ? `; ${r.missing} deliveries MISSING` : ""}`;
    };
    const libRow = latencyRow(
      `SSE: ${STREAMS} streams, event appended via the hub's socket client`,
      PROCESSES + 1,
      appended.latencies,
      note(appended, events, "committer's clock before append"),
    );
    const cliRow = latencyRow(
      `SSE: ${STREAMS} streams, event from \`baton log write\` (CLI via hub)`,
      PROCESSES + 1,
      byCli.latencies,
      note(byCli, cliEvents, "event's own `at` (hub clock, whole ms; ≤ 1 ms over)"),
    );
    rows.push(libRow, cliRow);
    for (const [what, row, r] of [
      ["socket client", libRow, appended],
      ["`baton log write`", cliRow, byCli],
    ])
      checks.push([
        `SSE to ${STREAMS} streams, appended by ${what}: p99 ≤ 20 ms, none missing`,
        row.p99 <= 20 && r.missing === 0,
        `p50 ${fmtMs(row.p50)}, p99 ${fmtMs(row.p99)}${r.missing ? `, ${r.missing} missing` : ""}`,
      ]);
  } finally {
    await closeWorkers(clients);
    await hub.stop();
  }
}

/** Tool round trips over /mcp: one client alone, then 8 at once, each process its own sessions. */
async function benchMcpHttp({ scratch, quick, log, rows, checks }) {
  const single = { warmup: 200, calls: quick ? 2000 : 4000 };
  const eight = { warmup: 50, calls: quick ? 200 : 1000 };
  const sessionsFor = ({ warmup, calls }) => Math.ceil((warmup + calls) / CALLS_PER_SESSION) + 1;
  const oneSessions = sessionsFor(single);
  const eightSessions = sessionsFor(eight);
  const { keys, hub, base } = await keyedHub(
    scratch,
    "hub-mcp",
    names("mcp", oneSessions + 8 * eightSessions),
  );
  const script = join(here, "workers/mcp-http-agents.mjs");
  const args = (sessionKeys, { warmup, calls }) => [
    base,
    MCP_TOOL,
    JSON.stringify(MCP_ARGS),
    "sequential",
    sessionKeys.join(","),
    String(calls),
    String(warmup),
  ];
  try {
    log(`hub: MCP over HTTP, ${MCP_TOOL}: 1 client, ${count(single.calls)} calls`);
    const alone = await runWorkers(script, 1, () => args(keys.slice(0, oneSessions), single));
    log(`hub: MCP over HTTP, ${MCP_TOOL}: 8 clients, ${count(eight.calls)} calls each`);
    const together = await runWorkers(script, 8, (i) =>
      args(keys.slice(oneSessions + i * eightSessions, oneSessions + (i + 1) * eightSessions), eight),
    );
    const note = (sessions, warmup) =>
      `round trip; ${sessions} sessions (keys) per client in turn, ≤ ${CALLS_PER_SESSION} calls each (a key allows 50/s); after ${warmup} warm-up calls`;
    const oneRow = rowFromRun(
      `MCP ${MCP_TOOL} over HTTP (hub), 1 client`,
      alone,
      note(oneSessions, single.warmup),
    );
    const eightRow = rowFromRun(
      `MCP ${MCP_TOOL} over HTTP (hub), 8 clients at once`,
      together,
      note(eightSessions, eight.warmup),
    );
    rows.push(oneRow, eightRow);
    for (const [row, run] of [
      [oneRow, alone],
      [eightRow, together],
    ])
      checks.push([
        `${row.operation}: round trip p99 ≤ 3 ms`,
        row.p99 <= 3,
        `p50 ${fmtMs(row.p50)}, p99 ${fmtMs(row.p99)} over ${count(run.results.reduce((n, r) => n + r.latencies.length, 0))} calls`,
      ]);
  } finally {
    await hub.stop();
  }
}

/**
 * The hub's RSS (VmRSS of the `baton serve` process) idle, with 100 agents
 * connected (100 MCP sessions, each its own key and connection, in 2 client
 * processes: mcp-load-agents.mjs), after the first 10,000 tool calls and after
 * 100,000 (all sessions calling at once, one call in flight each). Read as it
 * is after each phase: nothing is forced.
 */
async function benchRss({ scratch, quick, log, rows, checks }) {
  const AGENTS = 100;
  const PROCESSES = 2;
  const first = quick ? 2_000 : 10_000;
  const total = quick ? 20_000 : 100_000;
  const { keys, hub, base } = await keyedHub(scratch, "hub-rss", names("agent", AGENTS));
  if (!existsSync(`/proc/${hub.pid}/status`)) {
    await hub.stop();
    checks.push(["hub RSS after 100k tool calls ≤ 1.2 × after 10k", false, "no /proc here: not measured"]);
    return;
  }
  const clients = [];
  const rss = {};
  try {
    await sleep(1000);
    rss.idle = rssKb(hub.pid);
    log(`hub: RSS with ${AGENTS} MCP sessions; ${count(first)} then ${count(total)} tool calls`);
    const per = AGENTS / PROCESSES;
    for (let i = 0; i < PROCESSES; i++)
      clients.push(
        await forkReady(join(here, "workers/mcp-load-agents.mjs"), [
          base,
          MCP_TOOL,
          JSON.stringify(MCP_ARGS),
          keys.slice(i * per, (i + 1) * per).join(","),
        ]),
      );
    await sleep(1000);
    rss.connected = rssKb(hub.pid);
    const phase = async (calls) => {
      const started = performance.now();
      const results = await Promise.all(
        clients.map((child) => {
          const answer = reply(child, "MCP load");
          child.send({ calls: calls / PROCESSES });
          return answer;
        }),
      );
      const wallMs = performance.now() - started;
      return { latencies: results.flatMap((r) => r.latencies), wallMs };
    };
    const firstPhase = await phase(first);
    rss.first = rssKb(hub.pid);
    const rest = await phase(total - first);
    rss.total = rssKb(hub.pid);
    const ratio = rss.total / rss.first;
    const loadRow = (label, { latencies, wallMs }, notes) =>
      latencyRow(label, PROCESSES, latencies, notes, (latencies.length / wallMs) * 1000);
    rows.push(
      latencyRow("hub RSS: idle (`baton serve` started, 1 s)", 1, [], `VmRSS ${fmtMb(rss.idle)}`),
      latencyRow(
        `hub RSS: ${AGENTS} agents connected (MCP sessions, own keys)`,
        PROCESSES,
        [],
        `VmRSS ${fmtMb(rss.connected)}`,
      ),
      loadRow(
        `MCP ${MCP_TOOL}, ${AGENTS} sessions at once: calls 1–${count(first)}`,
        firstPhase,
        `hub VmRSS after: ${fmtMb(rss.first)}`,
      ),
      loadRow(
        `MCP ${MCP_TOOL}, ${AGENTS} sessions at once: calls ${count(first + 1)}–${count(total)}`,
        rest,
        `hub VmRSS after: ${fmtMb(rss.total)} (×${ratio.toFixed(2)} of after ${count(first)})`,
      ),
    );
    checks.push([
      `hub RSS after ${count(total)} tool calls ≤ 1.2 × after ${count(first)}`,
      ratio <= 1.2,
      `${fmtMb(rss.total)} vs ${fmtMb(rss.first)}: ×${ratio.toFixed(2)} (idle ${fmtMb(rss.idle)}, ${AGENTS} connected ${fmtMb(rss.connected)})` +
        // Seen here: V8 grows the heap to its working size over the first ~10,000 calls, and not after.
        (quick ? "; quick run: the target is the full run's 10,000 → 100,000" : ""),
    ]);
  } finally {
    await closeWorkers(clients);
    await hub.stop();
  }
}

/** Every part of the hub bench; returns its rows and target checks. */
export async function benchHub({ scratch, quick, log }) {
  const rows = [];
  const checks = [];
  if (!hubAvailable(cli)) {
    checks.push([
      "hub targets (wake-up, SSE, MCP over HTTP, RSS)",
      false,
      "hub: not available in this build",
    ]);
    return { rows, checks };
  }
  const context = { scratch, quick, log, rows, checks };
  await benchWake(context);
  await benchSse(context);
  await benchMcpHttp(context);
  await benchRss(context);
  return { rows, checks };
}
