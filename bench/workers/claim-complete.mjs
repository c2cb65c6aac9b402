// Claims the next task and completes it until none is left, through the hub serving the
// store ("hub") or on the file directly ("direct"); reports each claim's and each
// claim + complete pair's latency.
import { connectHub, SqliteStore } from "../../dist/index.js";
import { readySteady } from "../lib/processes.mjs";

const [path, agent, mode] = process.argv.slice(2);
const store =
  mode === "hub"
    ? await connectHub(`sqlite:${path}`, () => new SqliteStore({ path }))
    : new SqliteStore({ path });
if (!store) throw new Error(`no hub serves ${path}`);
await readySteady();
const latencies = [];
const pairs = [];
for (;;) {
  const t0 = performance.now();
  const { task, token } = await store.claimTask({ actor: agent, ttlMs: 600_000 });
  if (!task) break;
  const t1 = performance.now();
  await store.completeTask({ actor: agent, id: task.id, token });
  latencies.push(t1 - t0);
  pairs.push(performance.now() - t0);
}
const direct = mode === "hub" ? store.isDirect : true;
await store.close();
process.send({ agent, latencies, pairs, direct }, () => process.exit(0));
