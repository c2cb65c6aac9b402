import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeAgentNamesConformance } from "../../../test/conformance/agent-names-conformance.js";
import { describeBlockedTasksConformance } from "../../../test/conformance/blocked-tasks-conformance.js";
import { describeEditConformance } from "../../../test/conformance/edit-conformance.js";
import { describeLostHoldsConformance } from "../../../test/conformance/lost-holds-conformance.js";
import { describeStoreConformance, type StoreFactory } from "../../../test/conformance/store-conformance.js";
import { tempDir } from "../../../test/helpers/temp-repo.js";
import { ManualClock } from "../../clock.js";
import { LocalNotifier } from "../../notify/local-notifier.js";
import { CHANGED } from "../../notify/notifier.js";
import { SqliteStore } from "./sqlite-store.js";

const grouped: StoreFactory = async (clock) =>
  new SqliteStore({ path: join(tempDir(), "baton.db"), clock, groupCommit: true });

describeStoreConformance("sqlite, group commit", grouped);
describeLostHoldsConformance("sqlite, group commit", grouped);
describeBlockedTasksConformance("sqlite, group commit", grouped);
describeAgentNamesConformance("sqlite, group commit", grouped);
describeEditConformance("sqlite, group commit", grouped);

describe("group commit", () => {
  const add = (store: SqliteStore, title: string) =>
    store.addTask({ actor: "lead", prefix: "T", queue: "tasks", title, maxAttempts: 1 });

  it("runs writes made together in one transaction; a failing one rolls back only itself, with its own error", async () => {
    const path = join(tempDir(), "baton.db");
    const store = new SqliteStore({ path, clock: new ManualClock(), groupCommit: true });
    try {
      await add(store, "held by ana");
      await store.claimTask({ actor: "ana", id: "T-1", ttlMs: 60_000 });
      const before = store.groupCommitStats!;
      // Submitted in one turn of the event loop: one batch, interleaving successes and failures.
      const settled = await Promise.allSettled([
        add(store, "first"),
        store.claimTask({ actor: "ghost", id: "T-99", ttlMs: 60_000 }), // registers ghost, then not_found
        add(store, "second"),
        store.completeTask({ actor: "bob", id: "T-1" }), // not bob's claim
        store.sendMessage({ actor: "ana", kind: "direct", to: "bob", body: "hi", allowUnknown: true }),
      ]);
      const after = store.groupCommitStats!;
      expect(after.transactions - before.transactions).toBe(1);
      expect(after.operations - before.operations).toBe(5);

      expect(settled.map((s) => s.status)).toEqual([
        "fulfilled",
        "rejected",
        "fulfilled",
        "rejected",
        "fulfilled",
      ]);
      const reason = (i: number) => (settled[i] as PromiseRejectedResult).reason;
      expect(reason(1)).toMatchObject({ code: "not_found", message: expect.stringContaining("T-99") });
      expect(reason(3).code).toMatch(/lease_lost|invalid_state|conflict/);
      expect(reason(3).message).toContain("T-1");

      // Seen from a second connection on the file: the successes are committed, the failures left nothing.
      const direct = new SqliteStore({ path, clock: new ManualClock() });
      try {
        const titles = (await direct.listTasks({})).map((t) => t.title);
        expect(titles).toEqual(["held by ana", "first", "second"]);
        expect((await direct.getTask({ id: "T-1" })).holder).toBe("ana");
        const agents = (await direct.listAgents({ hungAfterMs: 1, offlineAfterMs: 1 })).map((a) => a.name);
        expect(agents).not.toContain("ghost");
        expect(agents).not.toContain("bob");
        expect((await direct.readMessages({ actor: "bob", stream: "inbox" })).messages).toHaveLength(1);
      } finally {
        await direct.close();
      }
    } finally {
      await store.close();
    }
  });

  it("wakes once per batch with every topic its committed writes touched, and none of a failed one's", async () => {
    const notifier = new LocalNotifier();
    const store = new SqliteStore({
      path: join(tempDir(), "b.db"),
      clock: new ManualClock(),
      notifier,
      groupCommit: true,
    });
    const sent: string[][] = [];
    const notify = notifier.notify.bind(notifier);
    notifier.notify = async (topics) => {
      sent.push([...topics]);
      await notify(topics);
    };
    try {
      await Promise.allSettled([
        store.sendMessage({ actor: "ana", kind: "direct", to: "bob", body: "1", allowUnknown: true }),
        store.sendMessage({ actor: "ana", kind: "direct", to: "cy", body: "2", allowUnknown: true }),
        store.sendMessage({ actor: "ana", kind: "direct", to: "nobody-known", body: "3" }), // refused
      ]);
      expect(sent).toHaveLength(1);
      expect(sent[0]![0]).toBe(CHANGED);
      expect(sent[0]).toEqual(expect.arrayContaining(["inbox:bob", "inbox:cy"]));
      expect(sent[0]).not.toContain("inbox:nobody-known");
    } finally {
      await store.close();
    }
  });

  it("runs a dry run on its own and keeps nothing of it, beside writes that are kept", async () => {
    const store = new SqliteStore({
      path: join(tempDir(), "c.db"),
      clock: new ManualClock(),
      groupCommit: true,
    });
    try {
      const [dry, real] = await Promise.all([
        store.addTask({
          actor: "lead",
          prefix: "T",
          queue: "tasks",
          title: "dry",
          maxAttempts: 1,
          dryRun: true,
        }),
        add(store, "real"),
      ]);
      expect(dry.title).toBe("dry");
      expect(real.title).toBe("real");
      expect((await store.listTasks({})).map((t) => t.title)).toEqual(["real"]);
    } finally {
      await store.close();
    }
  });

  it("splits a flood into bounded batches and answers every write", async () => {
    const store = new SqliteStore({
      path: join(tempDir(), "d.db"),
      clock: new ManualClock(),
      groupCommit: true,
    });
    try {
      const tasks = await Promise.all(Array.from({ length: 600 }, (_, i) => add(store, `t${i}`)));
      expect(new Set(tasks.map((t) => t.id)).size).toBe(600);
      const stats = store.groupCommitStats!;
      expect(stats.operations).toBe(600);
      expect(stats.transactions).toBe(3); // 256 + 256 + 88
    } finally {
      await store.close();
    }
  });
});
