import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/temp-repo.js";
import { HubNotifier } from "./hub-notifier.js";
import { SocketNotifier } from "./socket-notifier.js";

describe("HubNotifier", () => {
  it("wakes the hub's own waiters and the processes waiting on the folder; hears pokes from the folder", async () => {
    const dir = join(tempDir(), "w");
    const hub = new HubNotifier(new SocketNotifier(dir));
    const direct = new SocketNotifier(dir); // another process opening the file directly
    const inHub = await hub.subscribe(["inbox:bob"]);
    const outside = await direct.subscribe(["inbox:bob"]);
    const fromOutside = await hub.subscribe(["inbox:cy"]);
    try {
      await hub.notify(["inbox:bob"]);
      expect(await inHub.next(5_000)).toBe(true);
      expect(await outside.next(5_000)).toBe(true);
      // A commit made directly on the file by another process: the hub's waiter hears it.
      await direct.notify(["inbox:cy"]);
      expect(await fromOutside.next(5_000)).toBe(true);
      expect(hub.local.topicCount).toBe(2);
    } finally {
      inHub.close();
      outside.close();
      fromOutside.close();
    }
    expect(hub.local.topicCount).toBe(0);
  });
});
