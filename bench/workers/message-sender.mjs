// Sends N messages to "receiver", stamping each with its commit time. The store wakes the waiters
// itself after each commit (its notifier), as it does for every write.
import { setTimeout as sleep } from "node:timers/promises";
import { SqliteStore } from "../../dist/index.js";

const [dbPath, count, gapMs] = process.argv.slice(2);
const store = new SqliteStore({ path: dbPath });
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
await store.close();
process.send("done", () => process.exit(0));
