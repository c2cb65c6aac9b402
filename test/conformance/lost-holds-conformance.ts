import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { BatonError } from "../../src/errors.js";
import type { Store } from "../../src/store/port.js";
import { refusal } from "./refusal.js";
import type { StoreFactory } from "./store-conformance.js";

const MIN = 60_000;
const TTL = 10 * MIN;

/**
 * Promise 2, from the holder's side: whatever took a claim or lease from its
 * holder, and whichever process noticed first, the holder's next heartbeat
 * reports it, once. Table-driven: every way of losing a hold × every kind of
 * operation that may be the first to notice.
 */
export function describeLostHoldsConformance(backend: string, factory: StoreFactory): void {
  describe(`lost claims and leases reach their holder: ${backend}`, () => {
    let clock: ManualClock;
    let store: Store;

    beforeEach(async () => {
      clock = new ManualClock();
      store = await factory(clock);
      await store.joinAgent({ actor: "boss", kind: "human" });
      return () => store.close();
    });

    const task = async (maxAttempts = 3) =>
      store.addTask({ actor: "boss", prefix: "T", queue: "tasks", title: "work", maxAttempts });

    /** Ways the holder "a" can lose a claim or a lease without giving it up. */
    const losses: {
      name: string;
      kind: "task" | "lease";
      reason: string;
      setup: () => Promise<string>;
      take: (subject: string) => Promise<unknown>;
    }[] = [
      {
        name: "claim expired",
        kind: "task",
        reason: "expired",
        setup: async () =>
          (await store.claimTask({ actor: "a", id: (await task()).id, ttlMs: TTL })).task!.id,
        take: async () => clock.advance(TTL + 1),
      },
      {
        name: "claim expired on the last attempt (dead)",
        kind: "task",
        reason: "dead",
        setup: async () =>
          (await store.claimTask({ actor: "a", id: (await task(1)).id, ttlMs: TTL })).task!.id,
        take: async () => clock.advance(TTL + 1),
      },
      {
        name: "task cancelled under its holder",
        kind: "task",
        reason: "cancelled",
        setup: async () =>
          (await store.claimTask({ actor: "a", id: (await task()).id, ttlMs: TTL })).task!.id,
        take: (id) => store.cancelTask({ actor: "boss", id, reason: "not needed" }),
      },
      {
        name: "lease expired",
        kind: "lease",
        reason: "expired",
        setup: async () =>
          (await store.acquireLeases({ actor: "a", paths: ["src/a.ts"], exclusive: true, ttlMs: TTL }))
            .granted[0]!.path,
        take: async () => clock.advance(TTL + 1),
      },
      {
        name: "lease force-released",
        kind: "lease",
        reason: "force_released",
        setup: async () =>
          (await store.acquireLeases({ actor: "a", paths: ["src/a.ts"], exclusive: true, ttlMs: TTL }))
            .granted[0]!.path,
        take: (path) => store.forceReleaseLeases({ actor: "boss", paths: [path] }),
      },
      {
        name: "holder removed by a human",
        kind: "task",
        reason: "removed",
        setup: async () =>
          (await store.claimTask({ actor: "a", id: (await task()).id, ttlMs: TTL })).task!.id,
        take: () => store.removeAgent({ actor: "boss", name: "a", force: true }),
      },
    ];

    /** Whoever looks first after the loss: another agent's write, a read, the guardian, or nobody. */
    const noticers: { name: string; notice: () => Promise<unknown> }[] = [
      { name: "nobody before the heartbeat", notice: async () => undefined },
      { name: "another agent's claim", notice: () => store.claimTask({ actor: "b", ttlMs: TTL }) },
      {
        name: "another agent's lock",
        notice: () => store.acquireLeases({ actor: "b", paths: ["other"], exclusive: true, ttlMs: TTL }),
      },
      { name: "a read (list tasks)", notice: () => store.listTasks({}) },
      { name: "a read (list leases)", notice: () => store.listLeases({}) },
      { name: "the guardian's sweep", notice: () => store.sweep({ actor: "guardian", hungAfterMs: MIN }) },
      { name: "another agent's heartbeat", notice: () => store.heartbeat({ actor: "b" }) },
    ];

    for (const loss of losses) {
      for (const noticer of noticers) {
        it(`${loss.name}, noticed by ${noticer.name}: the next heartbeat reports it once`, async () => {
          await store.joinAgent({ actor: "b" });
          const subject = await loss.setup();
          await loss.take(subject);
          await noticer.notice();
          if (loss.reason === "removed") {
            // Removed from the team: its next command is refused, not a quiet return; it joins again on purpose.
            const refused = await refusal(store.heartbeat({ actor: "a" }));
            expect(refused).toMatchObject({ code: "not_found", details: { removedBy: "boss" } });
            await store.joinAgent({ actor: "a" });
          }
          const beat = await store.heartbeat({ actor: "a" });
          expect(beat.lost).toHaveLength(1);
          expect(beat.lost[0]).toMatchObject({ kind: loss.kind, subject, reason: loss.reason });
          expect(beat.lost[0]!.token).toBeGreaterThan(0);
          expect(loss.kind === "task" ? beat.lostTasks : beat.lostLeases).toEqual([subject]);
          // The event it points to is in the log.
          const event = (await store.listEvents({})).find((e) => e.seq === beat.lost[0]!.event);
          expect(event, "the loss names the event that recorded it").toBeDefined();
          expect((await store.heartbeat({ actor: "a" })).lost).toEqual([]);
        });
      }
    }

    it("a heartbeat that keeps losses reports them and leaves them for the next", async () => {
      const id = (await store.claimTask({ actor: "a", id: (await task()).id, ttlMs: TTL })).task!.id;
      clock.advance(TTL + 1);
      expect((await store.heartbeat({ actor: "a", keepLosses: true })).lostTasks).toEqual([id]);
      expect((await store.heartbeat({ actor: "a" })).lostTasks).toEqual([id]);
      expect((await store.heartbeat({ actor: "a" })).lostTasks).toEqual([]);
    });

    it("a dry-run heartbeat acknowledges nothing", async () => {
      const id = (await store.claimTask({ actor: "a", id: (await task()).id, ttlMs: TTL })).task!.id;
      clock.advance(TTL + 1);
      expect((await store.heartbeat({ actor: "a", dryRun: true })).lostTasks).toEqual([id]);
      expect((await store.heartbeat({ actor: "a" })).lostTasks).toEqual([id]);
    });

    it("reports every loss since the last heartbeat, oldest first, even of the same task twice", async () => {
      const t = await task();
      await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
      clock.advance(TTL + 1);
      await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
      await store.acquireLeases({ actor: "a", paths: ["x", "y"], exclusive: true, ttlMs: TTL });
      clock.advance(TTL + 1);
      await store.listTasks({});
      const beat = await store.heartbeat({ actor: "a" });
      expect(beat.lost.map((l) => [l.kind, l.subject])).toEqual([
        ["task", t.id],
        ["task", t.id],
        ["lease", "x"],
        ["lease", "y"],
      ]);
      expect(beat.lost[1]!.token).toBeGreaterThan(beat.lost[0]!.token);
      expect(beat.lostTasks).toEqual([t.id]);
    });

    it("what a holder gives up itself is not reported as lost", async () => {
      const t = await task();
      const u = await task();
      const v = await task();
      await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
      await store.completeTask({ actor: "a", id: t.id });
      await store.claimTask({ actor: "a", id: u.id, ttlMs: TTL });
      await store.releaseTask({ actor: "a", id: u.id });
      await store.claimTask({ actor: "a", id: v.id, ttlMs: TTL });
      await store.cancelTask({ actor: "a", id: v.id, reason: null });
      await store.acquireLeases({ actor: "a", paths: ["x", "y"], exclusive: true, ttlMs: TTL });
      await store.releaseLeases({ actor: "a", paths: ["x"] });
      await store.forceReleaseLeases({ actor: "a", paths: ["y"] });
      expect((await store.heartbeat({ actor: "a" })).lost).toEqual([]);
    });

    it("a stale completion says what ended the claim and who holds the task now", async () => {
      const t = await task();
      const old = await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
      clock.advance(TTL + 1);
      await store.claimTask({ actor: "b", id: t.id, ttlMs: TTL });
      for (const token of [undefined, old.token!]) {
        const error = await store.completeTask({ actor: "a", id: t.id, token }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BatonError);
        const e = error as BatonError;
        expect(e.code).toBe("lease_lost");
        expect(e.message).toContain(`your claim (token ${old.token})`);
        expect(e.message).toContain("expired");
        expect(e.message).toContain("held by b");
        expect(e.toolHint).toContain("send_message");
      }
      const cancelled = await task();
      await store.claimTask({ actor: "a", id: cancelled.id, ttlMs: TTL });
      await store.cancelTask({ actor: "boss", id: cancelled.id, reason: "dropped" });
      const error = (await store
        .completeTask({ actor: "a", id: cancelled.id })
        .catch((e: unknown) => e)) as BatonError;
      expect(error.message).toContain("boss cancelled");
      expect(error.hint).toContain("stop work");
    });
  });
}
