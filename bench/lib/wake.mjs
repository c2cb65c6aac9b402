/**
 * Wake-up latency: one process sends `count` messages, 20 ms apart, each stamped with
 * the time just before its commit; another waits in `inbox --wait` (or polls) and
 * records, per message, stamp → its read returned. Both stamps are
 * performance.timeOrigin + performance.now(): the same wall clock in both processes.
 */
import { fork } from "node:child_process";
import { join } from "node:path";

const workers = join(import.meta.dirname, "../workers");

/**
 * receiver: "wake" (the library's inbox wait) or "poll" (every 50 ms); it opens the
 * workspace, so it goes through `baton serve` when one runs in `repo`.
 * sender: "store" (SqliteStore on the file) or "hub" (the hub's socket client).
 * Resolves with the latencies and which store each side used.
 */
export async function wakeLatencies(repo, { receiver: mode, sender: senderMode, count }) {
  const receiver = fork(join(workers, "inbox-receiver.mjs"), [repo, mode, String(count)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise((resolve) => receiver.once("message", resolve));
  const result = new Promise((resolve) => receiver.once("message", resolve));
  // 20 ms between messages: the receiver is back in its wait before the next one.
  const sender = fork(
    join(workers, "message-sender.mjs"),
    [senderMode, join(repo, ".baton", "baton.db"), String(count), "20"],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const sent = new Promise((resolve) => sender.once("message", resolve));
  // A sender that dies would leave the receiver waiting for ever: stop the bench instead.
  const senderExit = new Promise((resolve) => sender.once("exit", resolve));
  const failed = senderExit.then((code) => {
    if (code !== 0) {
      receiver.kill();
      throw new Error(`bench: the message sender exited with ${code}`);
    }
    return new Promise(() => {});
  });
  const { latencies, via } = await Promise.race([result, failed]);
  const { direct } = await sent;
  await senderExit;
  return { latencies, receiverVia: via, senderVia: direct ? "SqliteStore" : "RemoteStore" };
}
