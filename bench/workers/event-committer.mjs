// Appends events through the hub's socket client (the store `baton serve` serves), one at a
// time, `gapMs` apart: first `warmups` of type bench.warmup, then `count` of type bench.tick whose
// summary is this process's clock (performance.timeOrigin + now()) just before the append, so a
// stream's latency runs from before the commit, never from this process's start.
import { setTimeout as sleep } from "node:timers/promises";
import { connectHub, SqliteStore } from "../../dist/index.js";

const [dbPath, warmups, count, gapMs] = process.argv.slice(2);
const store = await connectHub(`sqlite:${dbPath}`, () => new SqliteStore({ path: dbPath }));
if (!store) throw new Error(`no hub serves ${dbPath}`);
const now = () => performance.timeOrigin + performance.now();
for (let i = 0; i < Number(warmups) + Number(count); i++) {
  const warm = i < Number(warmups);
  await store.appendEvent({
    actor: "committer",
    type: warm ? "bench.warmup" : "bench.tick",
    summary: warm ? `warm-up ${i}` : String(now()),
  });
  await sleep(Number(gapMs));
}
const direct = store.isDirect;
await store.close();
process.send({ direct }, () => process.exit(0));
