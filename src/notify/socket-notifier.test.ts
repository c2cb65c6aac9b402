import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/temp-repo.js";
import { SocketNotifier } from "./socket-notifier.js";

describe("SocketNotifier", () => {
  it("wakes a subscriber of the topic, not of another", async () => {
    const notifier = new SocketNotifier(join(tempDir(), "w"));
    const mine = await notifier.subscribe(["inbox:bob"]);
    const other = await notifier.subscribe(["inbox:carol"]);
    await notifier.notify(["inbox:bob"]);
    expect(await mine.next(5_000)).toBe(true);
    expect(await other.next(50)).toBe(false);
    mine.close();
    other.close();
  });

  it("remembers a poke that came before next() was called", async () => {
    const notifier = new SocketNotifier(join(tempDir(), "w"));
    const sub = await notifier.subscribe(["#backend"]);
    await notifier.notify(["#backend"]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await sub.next(5_000)).toBe(true);
    expect(await sub.next(30)).toBe(false);
    sub.close();
  });

  it("removes its sockets on close, and a notifier removes sockets nobody listens on", async () => {
    const dir = join(tempDir(), "w");
    const notifier = new SocketNotifier(dir);
    const sub = await notifier.subscribe(["a", "b"]);
    expect(readdirSync(dir)).toHaveLength(2);
    sub.close();
    expect(readdirSync(dir)).toEqual([]);
    // A socket file whose process died: plain file with a matching name, nobody listening.
    const stale = await notifier.subscribe(["x"]);
    const [name] = readdirSync(dir);
    stale.close();
    writeFileSync(join(dir, name!), "");
    await notifier.notify(["x"]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("wakes a waiter that subscribed right after a commit listed the folder (its listing is kept only once settled)", async () => {
    const dir = join(tempDir(), "w");
    const committer = new SocketNotifier(dir); // another process: it lists the folder on every commit
    const waiter = new SocketNotifier(dir);
    const first = await waiter.subscribe(["inbox:bob"]);
    for (let i = 0; i < 30; i++) {
      await committer.notify(["inbox:bob"]); // lists the folder, perhaps in the same clock tick as the next socket
      const sub = await waiter.subscribe([`inbox:w${i}`]);
      await committer.notify([`inbox:w${i}`]);
      expect(await sub.next(5_000)).toBe(true);
      sub.close();
    }
    first.close();
  });

  it("leaves its own subscriptions out when asked (othersOnly), and pokes the others", async () => {
    const dir = join(tempDir(), "w");
    const hub = new SocketNotifier(dir);
    const other = new SocketNotifier(dir);
    const own = await hub.subscribe(["inbox:bob"]);
    const theirs = await other.subscribe(["inbox:bob"]);
    await hub.notify(["inbox:bob"], { othersOnly: true });
    expect(await theirs.next(5_000)).toBe(true);
    expect(await own.next(50)).toBe(false);
    own.close();
    theirs.close();
  });

  it("does nothing when nobody ever waited", async () => {
    await expect(new SocketNotifier(join(tempDir(), "never")).notify(["inbox:x"])).resolves.toBeUndefined();
  });
});
