// Receives N messages through the library's inbox wait ("wake") or by polling every 50 ms ("poll");
// reports, per message, the time from its commit (stamped in the body) until the read returned, and
// which store it read through (the hub's client when `baton serve` runs for the repository).
import { setTimeout as sleep } from "node:timers/promises";
import { openWorkspace, SqliteStore } from "../../dist/index.js";

const [repo, mode, count] = process.argv.slice(2);
const ws = await openWorkspace({ cwd: repo, as: "receiver" });
await ws.agents.join();
const now = () => performance.timeOrigin + performance.now();
const latencies = [];
process.send("ready");
while (latencies.length < Number(count)) {
  let result;
  if (mode === "wake") {
    result = await ws.messages.inbox({ waitMs: 10_000, ack: true });
  } else {
    for (;;) {
      result = await ws.messages.inbox({ ack: true });
      if (result.messages.length > 0) break;
      await sleep(50);
    }
  }
  const returned = now();
  for (const message of result.messages) latencies.push(returned - Number(message.body));
}
// Which store the workspace used: the hub's client when `baton serve` runs, else SQLite itself.
const via =
  (ws.store.isDirect ?? ws.store instanceof SqliteStore) ? "SqliteStore" : ws.store.constructor.name;
await ws.close();
process.send({ latencies, via }, () => process.exit(0));
