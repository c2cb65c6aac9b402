// Sends N messages to "receiver", stamping each with its commit time. The store wakes the waiters
// itself after each commit (its notifier), as it does for every write.
//
//   store PATH   SqliteStore on the file itself (no hub)
//   hub PATH     the hub serving that file (`baton serve`), over its Unix socket; refuses to run without one
import { setTimeout as sleep } from "node:timers/promises";
import { connectHub, SqliteStore } from "../../dist/index.js";

const [mode, dbPath, count, gapMs] = process.argv.slice(2);
const store =
  mode === "hub"
    ? await connectHub(`sqlite:${dbPath}`, () => new SqliteStore({ path: dbPath }))
    : new SqliteStore({ path: dbPath });
if (!store) throw new Error(`no hub serves ${dbPath}`);
const now = () => performance.timeOrigin + performance.now();
for (let i = 0; i < Number(count); i++) {
  // The body is set to the commit time: the insert is committed when sendMessage returns,
  // so stamp just before and take the commit's own cost into the measured latency.
  const stamp = now();
  await store.sendMessage({
    actor: "sender",
    kind: "direct",
    to: "receiver",
    body: String(stamp),
  });
  await sleep(Number(gapMs));
}
// A hub client that lost its hub on the way finishes on the file: say so, the row would be a lie.
const direct = mode === "hub" ? store.isDirect : true;
await store.close();
process.send({ direct }, () => process.exit(0));
