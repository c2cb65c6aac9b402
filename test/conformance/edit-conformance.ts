import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import type { Store } from "../../src/store/port.js";
import { expectCode } from "./refusal.js";
import type { StoreFactory } from "./store-conformance.js";

const MIN = 60_000;
const TTL = 10 * MIN;

/**
 * Editing and reopening tasks, and the guards a confirmed or idempotent command passes to the
 * store: a cancel or a force-release only touches what the caller saw, an unlock of what one
 * does not hold changes nothing. Every backend must behave so.
 */
export function describeEditConformance(backend: string, factory: StoreFactory): void {
  describe(`store conformance, edits and guards: ${backend}`, () => {
    let clock: ManualClock;
    let store: Store;

    beforeEach(async () => {
      clock = new ManualClock();
      store = await factory(clock);
      return () => store.close();
    });

    const add = (title: string, extra: Partial<Parameters<Store["addTask"]>[0]> = {}) =>
      store.addTask({ actor: "lead", prefix: "T", queue: "tasks", title, maxAttempts: 1, ...extra });
    const events = async (type: string) => store.listEvents({ type });

    describe("editTask", () => {
      it("changes only what is given, and records before and after of what changed", async () => {
        const t = await add("Fix login", { tags: ["web", "later"], priority: 2, body: "old" });
        const edited = await store.editTask({
          actor: "bob",
          id: t.id,
          title: "Fix the login redirect",
          priority: 0,
          addTags: ["urgent"],
          removeTags: ["later"],
        });
        expect(edited).toMatchObject({
          title: "Fix the login redirect",
          priority: 0,
          body: "old",
          tags: ["web", "urgent"],
        });
        expect((await store.getTask({ id: t.id })).tags).toEqual(["web", "urgent"]);
        const [event] = await events("task.edited");
        expect(event).toMatchObject({ actor: "bob", subject: t.id });
        expect(event!.data).toEqual({
          before: { title: "Fix login", priority: 2, tags: ["web", "later"] },
          after: { title: "Fix the login redirect", priority: 0, tags: ["web", "urgent"] },
        });
      });

      it("an edit that changes nothing writes no event; one that says nothing is a usage error", async () => {
        const t = await add("same", { tags: ["a"] });
        await store.editTask({ actor: "bob", id: t.id, title: "same", addTags: ["a"] });
        expect(await events("task.edited")).toHaveLength(0);
        await expectCode(store.editTask({ actor: "bob", id: t.id }), "usage");
      });

      it("two edits of the tags keep each other's: the set changes inside the transaction", async () => {
        const t = await add("tags", { tags: ["a"] });
        await Promise.all([
          store.editTask({ actor: "x", id: t.id, addTags: ["b"] }),
          store.editTask({ actor: "y", id: t.id, addTags: ["c"], removeTags: ["a"] }),
        ]);
        expect((await store.getTask({ id: t.id })).tags.sort()).toEqual(["b", "c"]);
      });

      it("refuses a finished task and an unknown one", async () => {
        const t = await add("x");
        await store.cancelTask({ actor: "lead", id: t.id, reason: null });
        await expectCode(store.editTask({ actor: "bob", id: t.id, title: "y" }), "invalid_state");
        await expectCode(store.editTask({ actor: "bob", id: "T-99", title: "y" }), "not_found");
      });
    });

    describe("reopenTask", () => {
      it("puts a failed, dead or cancelled task back, attempts reset, reason kept as a remark", async () => {
        const failed = await add("fails");
        const failedClaim = await store.claimTask({ actor: "a", id: failed.id, ttlMs: TTL });
        await store.failTask({ actor: "a", id: failed.id, reason: "broken" });
        const dead = await add("dies");
        await store.claimTask({ actor: "a", id: dead.id, ttlMs: MIN });
        clock.advance(MIN + 1);
        const cancelled = await add("cancelled");
        await store.cancelTask({ actor: "lead", id: cancelled.id, reason: "dup" });
        const statuses = (await store.listTasks({})).map((task) => task.status).sort();
        expect(statuses).toEqual(["cancelled", "dead", "failed"]);
        for (const id of [failed.id, dead.id, cancelled.id]) {
          const before = await store.getTask({ id });
          const reopened = await store.reopenTask({ actor: "bot", id, reason: "try again", slaMs: 2 * MIN });
          expect(reopened).toMatchObject({
            status: "open",
            holder: null,
            attempts: 0,
            result: null,
            report: null,
            dueAt: clock.now() + 2 * MIN,
          });
          const detail = await store.getTask({ id });
          expect(detail.remarks.at(-1)).toMatchObject({ by: "bot", text: "Reopened: try again" });
          const [event] = await store.listEvents({ type: "task.reopened", subject: id });
          expect(event!.data).toMatchObject({
            before: { status: before.status, attempts: before.attempts },
            after: { status: "open", attempts: 0 },
          });
        }
        // Claimable again, with a token larger than any before (tokens only grow).
        const again = await store.claimTask({ actor: "c", id: failed.id, ttlMs: TTL });
        expect(again.token!).toBeGreaterThan(failedClaim.token!);
      });

      it("a done task only by a human; an open or claimed one is not finished", async () => {
        await store.joinAgent({ actor: "lea", kind: "human" });
        await store.joinAgent({ actor: "bot", kind: "codex" });
        const t = await add("done");
        await store.claimTask({ actor: "bot", id: t.id, ttlMs: TTL });
        await expectCode(store.reopenTask({ actor: "bot", id: t.id, reason: null }), "invalid_state");
        await store.completeTask({ actor: "bot", id: t.id, result: "ok" });
        const refused = await expectCode(
          store.reopenTask({ actor: "bot", id: t.id, reason: null }),
          "forbidden",
        );
        expect(refused.toolHint).not.toMatch(/baton /);
        expect((await store.getTask({ id: t.id })).status).toBe("done");
        expect(await events("task.reopened")).toHaveLength(0);
        const reopened = await store.reopenTask({ actor: "lea", id: t.id, reason: null });
        expect(reopened).toMatchObject({ status: "open", result: null });
        await expectCode(store.reopenTask({ actor: "lea", id: t.id, reason: null }), "invalid_state");
      });
    });

    describe("cancelTask with ifToken", () => {
      it("cancels what the caller saw, refuses a task claimed since", async () => {
        const t = await add("x");
        const claim = await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
        // Seen unclaimed (null), claimed since: refused, unchanged.
        const refused = await expectCode(
          store.cancelTask({ actor: "lead", id: t.id, reason: null, ifToken: null }),
          "conflict",
        );
        expect(refused.details).toMatchObject({ holder: "a", token: claim.token });
        expect((await store.getTask({ id: t.id })).status).toBe("claimed");
        await store.releaseTask({ actor: "a", id: t.id });
        const reclaim = await store.claimTask({ actor: "b", id: t.id, ttlMs: TTL });
        await expectCode(
          store.cancelTask({ actor: "lead", id: t.id, reason: null, ifToken: claim.token }),
          "conflict",
        );
        const cancelled = await store.cancelTask({
          actor: "lead",
          id: t.id,
          reason: "r",
          ifToken: reclaim.token,
        });
        expect(cancelled.status).toBe("cancelled");
        expect(await events("task.cancelled")).toHaveLength(1);
      });
    });

    describe("releaseLeases with ifHeld", () => {
      const lock = (actor: string, paths: string[]) =>
        store.acquireLeases({ actor, paths, exclusive: true, ttlMs: TTL, intent: null });

      it("skips what the actor does not hold; nothing held, no event", async () => {
        await lock("a", ["x"]);
        await lock("b", ["y"]);
        expect(await store.releaseLeases({ actor: "a", paths: ["y", "z"], ifHeld: true })).toEqual([]);
        expect(await events("lease.released")).toHaveLength(0);
        const released = await store.releaseLeases({ actor: "a", paths: ["x", "y", "z"], ifHeld: true });
        expect(released.map((lease) => lease.path)).toEqual(["x"]);
        expect((await store.listLeases({})).map((lease) => `${lease.holder}:${lease.path}`)).toEqual(["b:y"]);
        expect(await events("lease.released")).toHaveLength(1);
      });

      it("a token still names one lease: a lost one is lease_lost", async () => {
        const first = await lock("a", ["x"]);
        await store.releaseLeases({ actor: "a", paths: ["x"] });
        await expectCode(
          store.releaseLeases({ actor: "a", paths: ["x"], token: first.granted[0]!.token, ifHeld: true }),
          "lease_lost",
        );
      });
    });

    describe("forceReleaseLeases with tokens", () => {
      const lock = (actor: string, paths: string[], exclusive = true) =>
        store.acquireLeases({ actor, paths, exclusive, ttlMs: MIN, intent: null });

      it("releases the leases the caller saw; refuses if another appeared since", async () => {
        const seen = await lock("a", ["x"]);
        const token = seen.granted[0]!.token;
        clock.advance(MIN + 1); // a's lease expires; b takes the path
        await lock("b", ["x"]);
        const refused = await expectCode(
          store.forceReleaseLeases({ actor: "lea", paths: ["x"], tokens: [token] }),
          "conflict",
        );
        expect(refused.details).toMatchObject({ path: "x", holder: "b" });
        expect((await store.listLeases({})).map((lease) => lease.holder)).toEqual(["b"]);
        const now = (await store.listLeases({}))[0]!.token;
        const released = await store.forceReleaseLeases({ actor: "lea", paths: ["x"], tokens: [now] });
        expect(released.map((lease) => lease.holder)).toEqual(["b"]);
        expect(await events("lease.force_released")).toHaveLength(1);
      });

      it("shared leases: each holder's token must have been seen", async () => {
        const a = await lock("a", ["x"], false);
        const b = await lock("b", ["x"], false);
        await expectCode(
          store.forceReleaseLeases({ actor: "lea", paths: ["x"], tokens: [a.granted[0]!.token] }),
          "conflict",
        );
        const both = [a.granted[0]!.token, b.granted[0]!.token];
        expect(await store.forceReleaseLeases({ actor: "lea", paths: ["x"], tokens: both })).toHaveLength(2);
      });
    });
  });
}
