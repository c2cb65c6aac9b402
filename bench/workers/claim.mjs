// Claims tasks until none is left; reports each claim's latency.
import { SqliteStore } from "../../dist/index.js";
import { readySteady } from "../lib/processes.mjs";

const [path, agent] = process.argv.slice(2);
const store = new SqliteStore({ path });
await readySteady();
const latencies = [];
for (;;) {
  const t0 = performance.now();
  const { task } = await store.claimTask({ actor: agent, ttlMs: 600_000 });
  if (!task) break;
  latencies.push(performance.now() - t0);
}
await store.close();
process.send({ agent, latencies }, () => process.exit(0));
