// Locks then unlocks random paths for a fixed time; reports each lock+unlock pair's latency.
import { SqliteStore } from "../../dist/index.js";
import { readySteady } from "../lib/processes.mjs";

const [path, agent, ms] = process.argv.slice(2);
const store = new SqliteStore({ path });
const paths = Array.from({ length: 64 }, (_, i) => `src/module-${i}/index.ts`);
await readySteady();
const latencies = [];
let conflicts = 0;
const until = performance.now() + Number(ms);
while (performance.now() < until) {
  const target = paths[Math.floor(Math.random() * paths.length)];
  const t0 = performance.now();
  const { granted } = await store.acquireLeases({
    actor: agent,
    paths: [target],
    exclusive: true,
    ttlMs: 600_000,
  });
  if (granted.length === 0) {
    conflicts++;
    continue;
  }
  await store.releaseLeases({ actor: agent, paths: [target] });
  latencies.push(performance.now() - t0);
}
await store.close();
process.send({ agent, latencies, conflicts }, () => process.exit(0));
