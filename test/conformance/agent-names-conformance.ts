import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import type { Store } from "../../src/store/port.js";
import { refusal } from "./refusal.js";
import type { StoreFactory } from "./store-conformance.js";

const TTL = 600_000;

/**
 * Names are identities: a typo must not start a phantom agent, `Lea` beside
 * `lea` is not a second person, and an agent can be taken off the team.
 */
export function describeAgentNamesConformance(backend: string, factory: StoreFactory): void {
  describe(`agent names: ${backend}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await factory(new ManualClock());
      await store.joinAgent({ actor: "lea", kind: "human" });
      await store.joinAgent({ actor: "claude-1", kind: "claude" });
      await store.addTask({ actor: "lea", prefix: "T", queue: "tasks", title: "work", maxAttempts: 2 });
      return () => store.close();
    });

    const names = async () =>
      (await store.listAgents({ hungAfterMs: TTL, offlineAfterMs: TTL })).map((a) => a.name);

    /** Every operation that registers its actor on first sight. */
    const firstSights: [string, (actor: string) => Promise<unknown>][] = [
      ["heartbeat", (actor) => store.heartbeat({ actor })],
      ["claim", (actor) => store.claimTask({ actor, ttlMs: TTL })],
      [
        "add a task",
        (actor) => store.addTask({ actor, prefix: "T", queue: "tasks", title: "x", maxAttempts: 1 }),
      ],
      ["lock", (actor) => store.acquireLeases({ actor, paths: ["a.ts"], exclusive: true, ttlMs: TTL })],
      ["send", (actor) => store.sendMessage({ actor, kind: "direct", to: "lea", body: "hi" })],
      ["automatic join (an MCP server starting)", (actor) => store.joinAgent({ actor, automatic: true })],
    ];

    for (const [op, act] of firstSights) {
      it.each([
        ["Lea", "lea"],
        ["CLAUDE-1", "claude-1"],
        ["cluade-1", "claude-1"],
        ["claude1", "claude-1"],
      ])(`${op} as %s is refused: did you mean %s? Nothing is kept`, async (name, meant) => {
        const events = (await store.listEvents({})).length;
        const error = await refusal(act(name));
        expect(error.code).toBe("not_found");
        expect(error.details).toMatchObject({ name, didYouMean: [meant] });
        expect(error.message).toContain(meant);
        expect(error.toolHint).not.toMatch(/\bbaton [a-z]|\s--[a-z]/);
        expect(await names()).toEqual(["claude-1", "lea"]);
        expect((await store.listEvents({})).length).toBe(events);
      });

      it(`${op} as a numbered sibling or a distinct name registers it`, async () => {
        await act("claude-2");
        await act("bob");
        expect(await names()).toEqual(["bob", "claude-1", "claude-2", "lea"]);
      });
    }

    it("a join by hand says a near-miss name is meant; a case twin never is", async () => {
      await store.joinAgent({ actor: "cluade-1" });
      expect(await names()).toContain("cluade-1");
      expect((await store.heartbeat({ actor: "cluade-1" })).agent).toBe("cluade-1");
      const twin = await refusal(store.joinAgent({ actor: "Lea", kind: "human" }));
      expect(twin.details).toMatchObject({ didYouMean: ["lea"] });
      expect(await names()).not.toContain("Lea");
    });

    /** Names that must be a known agent's. */
    const targets: [string, (name: string, allowUnknown?: boolean) => Promise<unknown>][] = [
      [
        "assign",
        (name, allowUnknown) => store.assignTask({ actor: "lea", id: "T-1", assignee: name, allowUnknown }),
      ],
      [
        "add --assign",
        (name, allowUnknown) =>
          store.addTask({
            actor: "lea",
            prefix: "T",
            queue: "tasks",
            title: "x",
            maxAttempts: 1,
            assignee: name,
            allowUnknownAssignee: allowUnknown,
          }),
      ],
      [
        "send",
        (name, allowUnknown) =>
          store.sendMessage({ actor: "lea", kind: "direct", to: name, body: "hi", allowUnknown }),
      ],
    ];

    for (const [op, target] of targets) {
      it(`${op} to an unknown name is refused with did you mean; to a new one on purpose, kept`, async () => {
        const before = (await store.listEvents({})).length;
        const typo = await refusal(target("cluade-1"));
        expect(typo.code).toBe("not_found");
        expect(typo.details).toMatchObject({ name: "cluade-1", didYouMean: ["claude-1"] });
        expect(typo.message).toContain("did you mean claude-1?");
        const twin = await refusal(target("Claude-1", true));
        expect(twin.details).toMatchObject({ didYouMean: ["claude-1"] });
        expect((await store.listEvents({})).length).toBe(before);
        await target("codex-9", true);
        await target("claude-1");
        expect(await names()).toEqual(["claude-1", "lea"]);
      });
    }

    describe("removing an agent", () => {
      it("refuses an agent removing another, and a human removing one that still holds work", async () => {
        await store.joinAgent({ actor: "codex-1", kind: "codex" });
        const forbidden = await refusal(store.removeAgent({ actor: "codex-1", name: "claude-1" }));
        expect(forbidden.code).toBe("forbidden");
        await store.claimTask({ actor: "claude-1", id: "T-1", ttlMs: TTL });
        await store.acquireLeases({ actor: "claude-1", paths: ["a.ts"], exclusive: true, ttlMs: TTL });
        const busy = await refusal(store.removeAgent({ actor: "lea", name: "claude-1" }));
        expect(busy.code).toBe("conflict");
        expect(busy.details).toMatchObject({ tasks: ["T-1"], leases: ["a.ts"] });
        expect(await names()).toContain("claude-1");
      });

      it("with force, releases its claims and leases, unassigns its tasks, and its next heartbeat learns it", async () => {
        await store.claimTask({ actor: "claude-1", id: "T-1", ttlMs: TTL });
        await store.acquireLeases({ actor: "claude-1", paths: ["a.ts"], exclusive: true, ttlMs: TTL });
        const reserved = await store.addTask({
          actor: "lea",
          prefix: "T",
          queue: "tasks",
          title: "for claude-1",
          maxAttempts: 1,
          assignee: "claude-1",
        });
        const removed = await store.removeAgent({ actor: "lea", name: "claude-1", force: true });
        expect(removed).toEqual({
          agent: "claude-1",
          releasedTasks: ["T-1"],
          releasedLeases: ["a.ts"],
          unassignedTasks: [reserved.id],
        });
        expect(await names()).toEqual(["lea"]);
        expect(await store.getTask({ id: "T-1" })).toMatchObject({
          status: "open",
          holder: null,
          attempts: 0,
        });
        expect((await store.getTask({ id: reserved.id })).assignee).toBeNull();
        expect(await store.listLeases({})).toEqual([]);
        // Its history stays in the log.
        expect((await store.listEvents({ actor: "claude-1" })).length).toBeGreaterThan(0);
        expect((await store.listEvents({ type: "agent.removed" })).map((e) => e.subject)).toEqual([
          "claude-1",
        ]);
        // A zombie process under that name is refused, and learns what it lost.
        const zombie = await refusal(store.heartbeat({ actor: "claude-1" }));
        expect(zombie.code).toBe("not_found");
        expect(zombie.details).toMatchObject({
          removedBy: "lea",
          lost: [
            { kind: "task", subject: "T-1", reason: "removed" },
            { kind: "lease", subject: "a.ts", reason: "removed" },
          ],
        });
        expect(await names()).toEqual(["lea"]);
      });

      it("an agent may remove itself; an unknown name is refused with did you mean", async () => {
        await store.joinAgent({ actor: "codex-1", kind: "codex" });
        expect((await store.removeAgent({ actor: "codex-1", name: "codex-1" })).agent).toBe("codex-1");
        const unknown = await refusal(store.removeAgent({ actor: "lea", name: "cluade-1" }));
        expect(unknown.code).toBe("not_found");
        expect(unknown.details).toMatchObject({ didYouMean: ["claude-1"] });
        expect(await names()).toEqual(["claude-1", "lea"]);
      });
    });
  });
}
