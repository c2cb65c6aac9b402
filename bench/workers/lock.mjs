/**
 * Locks then unlocks random paths for a fixed time; reports each lock+unlock pair's latency.
 *
 *   store PATH       the bare SqliteStore
 *   workspace REPO   openWorkspace() + its lease service (through `baton serve` when one runs)
 */
import { openWorkspace, SqliteStore } from "../../dist/index.js";
import { readySteady } from "../lib/processes.mjs";

const [mode, target, agent, ms] = process.argv.slice(2);

async function open() {
  if (mode === "store") {
    const store = new SqliteStore({ path: target });
    return {
      lock: async (path) =>
        (await store.acquireLeases({ actor: agent, paths: [path], exclusive: true, ttlMs: 600_000 })).granted
          .length > 0,
      unlock: (path) => store.releaseLeases({ actor: agent, paths: [path] }),
      close: () => store.close(),
      via: () => "SqliteStore",
    };
  }
  if (mode === "workspace") {
    const ws = await openWorkspace({ cwd: target, as: agent });
    return {
      lock: async (path) => (await ws.leases.lock([path], { ttlMs: 600_000 })).granted.length > 0,
      unlock: (path) => ws.leases.unlock([path]),
      close: () => ws.close(),
      // Which store the workspace used: the hub's client when `baton serve` runs, else SQLite itself
      // (also when the hub's client fell back to the file, which it says with isDirect).
      via: () =>
        (ws.store.isDirect ?? ws.store instanceof SqliteStore) ? "SqliteStore" : ws.store.constructor.name,
    };
  }
  throw new Error(`unknown mode ${mode}`);
}

const baton = await open();
const paths = Array.from({ length: 64 }, (_, i) => `src/module-${i}/index.ts`);
await readySteady();
const latencies = [];
let conflicts = 0;
const until = performance.now() + Number(ms);
while (performance.now() < until) {
  const target = paths[Math.floor(Math.random() * paths.length)];
  const t0 = performance.now();
  if (!(await baton.lock(target))) {
    conflicts++;
    continue;
  }
  await baton.unlock(target);
  latencies.push(performance.now() - t0);
}
const via = baton.via();
await baton.close();
process.send({ agent, latencies, conflicts, via }, () => process.exit(0));
