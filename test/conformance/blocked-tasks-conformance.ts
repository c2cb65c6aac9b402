import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import type { Store } from "../../src/store/port.js";
import { refusal } from "./refusal.js";
import type { StoreFactory } from "./store-conformance.js";

const MIN = 60_000;
const TTL = 10 * MIN;

/**
 * Promise 4: a task whose dependency ended without success is blocked (not
 * ready, not claimable, its cause named) and the humans are told; it is
 * never left open for no reason.
 */
export function describeBlockedTasksConformance(backend: string, factory: StoreFactory): void {
  describe(`blocked tasks: ${backend}`, () => {
    let clock: ManualClock;
    let store: Store;

    beforeEach(async () => {
      clock = new ManualClock();
      store = await factory(clock);
      await store.joinAgent({ actor: "boss", kind: "human" });
      await store.joinAgent({ actor: "lea", kind: "human" });
      return () => store.close();
    });

    const add = (title: string, dependsOn: string[] = [], maxAttempts = 1) =>
      store.addTask({ actor: "boss", prefix: "T", queue: "tasks", title, dependsOn, maxAttempts });

    /** How a dependency can end without success. */
    const endings = [
      {
        status: "failed",
        end: async (id: string) => {
          await store.claimTask({ actor: "a", id, ttlMs: TTL });
          await store.failTask({ actor: "a", id, reason: "tests never pass" });
        },
      },
      {
        status: "cancelled",
        end: (id: string) => store.cancelTask({ actor: "boss", id, reason: "dropped" }),
      },
      {
        status: "dead",
        end: async (id: string) => {
          await store.claimTask({ actor: "a", id, ttlMs: TTL });
          clock.advance(TTL + 1);
          await store.listTasks({}); // whichever process looks first sweeps it
        },
      },
    ] as const;

    for (const ending of endings) {
      it(`a dependency that ${ending.status === "failed" ? "failed" : `is ${ending.status}`} blocks what waits on it, directly or not, and tells the humans once`, async () => {
        const cause = await add("schema");
        const direct = await add("api", [cause.id]);
        const indirect = await add("ui", [direct.id]);
        const free = await add("docs");
        await ending.end(cause.id);
        const expected = [{ id: cause.id, status: ending.status }];
        expect((await store.getTask({ id: direct.id })).blockedBy).toEqual(expected);
        expect((await store.getTask({ id: indirect.id })).blockedBy).toEqual(expected);
        expect((await store.getTask({ id: free.id })).blockedBy).toEqual([]);
        expect((await store.listTasks({ ready: true, readyFor: "b" })).map((t) => t.id)).toEqual([free.id]);
        for (const id of [direct.id, indirect.id]) {
          const error = await refusal(store.claimTask({ actor: "b", id, ttlMs: TTL }));
          expect(error.code).toBe("not_ready");
          expect(error.message).toContain(`${id} is blocked`);
          expect(error.message).toContain(cause.id);
          expect(error.details).toMatchObject({ blockedBy: expected });
        }
        const blocked = await store.listEvents({ type: "task.blocked" });
        expect(blocked.map((e) => e.subject)).toEqual([direct.id, indirect.id]);
        expect(blocked[1]!.summary).toContain(`waits on ${direct.id}, which waits on ${cause.id}`);
        // Every human is told, but the one whose own act it was (boss cancelled it).
        for (const human of ["boss", "lea"]) {
          const inbox = await store.readMessages({ actor: human, stream: "inbox" });
          if (human === "boss" && ending.status === "cancelled") {
            expect(inbox.messages).toHaveLength(0);
            continue;
          }
          expect(inbox.messages).toHaveLength(1);
          expect(inbox.messages[0]).toMatchObject({ kind: "escalation", urgent: true });
          expect(inbox.messages[0]!.body).toContain(cause.id);
          expect(inbox.messages[0]!.body).toContain(direct.id);
          expect(inbox.messages[0]!.body).toContain(indirect.id);
        }
        expect((await store.claimTask({ actor: "b", ttlMs: TTL })).task?.id).toBe(free.id);
      });
    }

    it("a human unblocks by removing the dependency; the task is ready at once", async () => {
      const cause = await add("schema");
      const direct = await add("api", [cause.id]);
      const indirect = await add("ui", [direct.id]);
      await store.cancelTask({ actor: "boss", id: cause.id, reason: null });
      await store.removeDependency({ actor: "boss", id: direct.id, dependsOn: cause.id });
      expect((await store.getTask({ id: direct.id })).blockedBy).toEqual([]);
      expect((await store.getTask({ id: indirect.id })).blockedBy).toEqual([]);
      expect((await store.listTasks({ ready: true, readyFor: "b" })).map((t) => t.id)).toEqual([direct.id]);
    });

    it("cancelling a blocked task blocks its own dependents with it as the cause", async () => {
      const cause = await add("schema");
      const direct = await add("api", [cause.id]);
      const indirect = await add("ui", [direct.id]);
      await store.cancelTask({ actor: "boss", id: cause.id, reason: null });
      await store.cancelTask({ actor: "boss", id: direct.id, reason: null });
      expect((await store.getTask({ id: indirect.id })).blockedBy).toEqual([
        { id: direct.id, status: "cancelled" },
      ]);
      expect((await store.readMessages({ actor: "lea", stream: "inbox" })).messages).toHaveLength(2);
    });

    it("refuses a new dependency on a task that already ended without success", async () => {
      const cause = await add("schema");
      const other = await add("api");
      await store.cancelTask({ actor: "boss", id: cause.id, reason: null });
      const onAdd = await refusal(add("ui", [cause.id]));
      expect(onAdd.code).toBe("invalid_state");
      expect(onAdd.message).toContain("blocked from the start");
      const onDep = await refusal(store.addDependency({ actor: "boss", id: other.id, dependsOn: cause.id }));
      expect(onDep.code).toBe("invalid_state");
      expect((await store.getTask({ id: other.id })).dependsOn).toEqual([]);
    });

    it("a task added after a blocked one is blocked from the start, and the log says so", async () => {
      const cause = await add("schema");
      const direct = await add("api", [cause.id]);
      await store.cancelTask({ actor: "boss", id: cause.id, reason: null });
      const late = await add("ui", [direct.id]);
      expect(late.blockedBy).toEqual([{ id: cause.id, status: "cancelled" }]);
      expect(
        (await store.listEvents({ type: "task.blocked", subject: late.id })).map((e) => e.summary),
      ).toEqual([
        `${late.id} is blocked: it waits on ${direct.id}, which waits on ${cause.id}, which was cancelled`,
      ]);
    });

    it("a task with attempts left goes back to the queue and blocks nothing", async () => {
      const cause = await add("schema", [], 2);
      const direct = await add("api", [cause.id]);
      await store.claimTask({ actor: "a", id: cause.id, ttlMs: TTL });
      await store.failTask({ actor: "a", id: cause.id, reason: "flaky" });
      expect((await store.getTask({ id: direct.id })).blockedBy).toEqual([]);
      expect(await store.listEvents({ type: "task.blocked" })).toEqual([]);
    });
  });
}
