// Claims through the hub (`baton serve`, group commit, Unix socket) against claims on the
// SQLite file directly, same run, same machine: N worker processes each claim the next
// task and complete it until none is left. Run after `npm run build`:
//   node bench/workers/hub-claims.mjs [processes...]   (default: 1 8; BENCH_TASKS per process, default 3000)
// BENCH_HUB_PROFILE=DIR writes the hub's CPU profile to DIR.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SqliteStore } from "../../dist/index.js";
import { runWorkers } from "../lib/processes.mjs";
import { printTable, rowFromRun, summarise } from "../lib/stats.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "../../dist/cli/baton.js");
const counts = process.argv.slice(2).map(Number);
const processCounts = counts.length ? counts : [1, 8];
const perProcess = Number(process.env.BENCH_TASKS ?? 3000);
const scratch = mkdtempSync(join(tmpdir(), "baton-hub-bench-"));
const log = (text) => process.stderr.write(`${text}\n`);

async function seed(path, count) {
  const store = new SqliteStore({ path });
  const batch = [];
  for (let i = 0; i < count; i++)
    batch.push(
      store.addTask({ actor: "bench", prefix: "T", queue: "tasks", title: `task ${i}`, maxAttempts: 3 }),
    );
  await Promise.all(batch);
  await store.close();
}

async function startHub(path) {
  // BENCH_HUB_PROFILE=DIR: the hub writes a CPU profile there (node --cpu-prof) when it stops.
  const profile = process.env.BENCH_HUB_PROFILE
    ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_HUB_PROFILE]
    : [];
  const child = spawn(process.execPath, [...profile, cli, "--store", path, "serve"], {
    cwd: scratch,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const record = join(dirname(path), "hub.json");
  for (let i = 0; i < 500 && !existsSync(record); i++) await new Promise((r) => setTimeout(r, 20));
  if (!existsSync(record)) throw new Error("baton serve did not start");
  return async () => {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };
}

async function checkExactlyOnce(path, tasks) {
  const store = new SqliteStore({ path });
  const all = await store.listTasks({});
  await store.close();
  const done = all.filter((t) => t.status === "done").length;
  if (done !== tasks || all.length !== tasks)
    throw new Error(`expected ${tasks} tasks done once, found ${done} of ${all.length}`);
}

const rows = [];
for (const processes of processCounts) {
  for (const mode of ["direct", "hub"]) {
    const dir = mkdtempSync(join(scratch, `${mode}-${processes}-`));
    const path = join(dir, "baton.db");
    const tasks = perProcess * processes;
    await seed(path, tasks);
    const stop = mode === "hub" ? await startHub(path) : undefined;
    log(`${mode}: ${processes} process(es) over ${tasks} tasks`);
    const run = await runWorkers(join(here, "claim-complete.mjs"), processes, (i) => [
      path,
      `agent-${i}`,
      mode,
    ]);
    await stop?.();
    if (run.results.some((r) => !r.direct && mode === "direct"))
      throw new Error("a direct worker used a hub");
    if (mode === "hub" && run.results.some((r) => r.direct))
      throw new Error("a hub worker fell back to direct");
    await checkExactlyOnce(path, tasks);
    const row = rowFromRun(
      `claim → complete (${mode === "hub" ? "hub, Unix socket" : "SQLite direct"})`,
      run,
    );
    const pairs = summarise(run.results.flatMap((r) => r.pairs));
    row.notes = `claim p99 as shown; pair p50 ${pairs.p50.toFixed(2)} ms, p99 ${pairs.p99.toFixed(2)} ms`;
    if (processes > 1)
      row.notes += `; share of fair: min ${Math.min(...row.shares).toFixed(2)}, max ${Math.max(...row.shares).toFixed(2)}`;
    rows.push(row);
  }
}
printTable(rows);
rmSync(scratch, { recursive: true, force: true });
