/**
 * claim-next → complete until no task is left, the loop BullMQ's Worker and the
 * Redis lease script run too. Timed per task: from just before the claim to the
 * completion's acknowledgement (two round trips to the store). Reports every
 * completed id, so the parent can check each task was completed exactly once.
 *
 *   store      the bare SqliteStore (no services)
 *   workspace  openWorkspace() + its task service, what the CLI and MCP use: it
 *              goes through `baton serve` when one runs for the repository
 */
import { openWorkspace, SqliteStore } from "../../dist/index.js";
import { readySteady } from "../lib/processes.mjs";

const [mode, target, agent] = process.argv.slice(2);

async function open() {
  if (mode === "store") {
    const store = new SqliteStore({ path: target });
    return {
      claim: () => store.claimTask({ actor: agent, ttlMs: 600_000 }),
      complete: (id, token) => store.completeTask({ actor: agent, id, token, result: null, report: null }),
      close: () => store.close(),
      via: () => "SqliteStore",
    };
  }
  if (mode === "workspace") {
    const ws = await openWorkspace({ cwd: target, as: agent });
    return {
      claim: () => ws.tasks.claim(undefined, { ttlMs: 600_000 }),
      complete: (id, token) => ws.tasks.done(id, { token }),
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
await readySteady();
const latencies = [];
const ids = [];
for (;;) {
  const t0 = performance.now();
  const { task, token } = await baton.claim();
  if (!task) break;
  const done = await baton.complete(task.id, token);
  if (done.status !== "done") throw new Error(`${task.id} is ${done.status} after complete`);
  latencies.push(performance.now() - t0);
  ids.push(task.id);
}
const via = baton.via();
await baton.close();
process.send({ agent, latencies, ids, via }, () => process.exit(0));
