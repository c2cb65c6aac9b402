import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { CHANGED } from "../../src/notify/notifier.js";
import type { Store } from "../../src/store/port.js";
import { expectCode } from "./refusal.js";

/**
 * Which of `topics` a change wakes, in the order given: each topic is
 * subscribed on its own before `change` runs, through the store's own notifier.
 */
export async function topicsWoken(
  store: Store,
  topics: string[],
  change: () => Promise<unknown>,
): Promise<string[]> {
  const subscriptions = await Promise.all(topics.map((topic) => store.notifier.subscribe([topic])));
  try {
    await change();
    // A wake-up is sent before the change returns; a topic not woken by then is given a little longer.
    const woken = await Promise.all(subscriptions.map((subscription) => subscription.next(300)));
    return topics.filter((_, i) => woken[i]);
  } finally {
    for (const subscription of subscriptions) subscription.close();
  }
}

export type StoreFactory = (clock: ManualClock) => Promise<Store>;

const MIN = 60_000;
const TTL = 10 * MIN;

/**
 * The behaviour every store backend must show. Each backend's test file calls
 * this with a factory giving a fresh, empty store on the given clock.
 */
export function describeStoreConformance(backend: string, factory: StoreFactory): void {
  describe(`store conformance: ${backend}`, () => {
    let clock: ManualClock;
    let store: Store;

    beforeEach(async () => {
      clock = new ManualClock();
      store = await factory(clock);
      return () => store.close();
    });

    const add = (title: string, extra: Partial<Parameters<Store["addTask"]>[0]> = {}) =>
      store.addTask({ actor: "lead", prefix: "T", queue: "tasks", title, maxAttempts: 2, ...extra });

    describe("tasks", () => {
      it("numbers ids per prefix and records who added them", async () => {
        const a = await add("one");
        const b = await add("two");
        const r = await add("req", { prefix: "REQ", queue: "requests" });
        expect([a.id, b.id, r.id]).toEqual(["T-1", "T-2", "REQ-1"]);
        expect(a).toMatchObject({
          status: "open",
          createdBy: "lead",
          holder: null,
          attempts: 0,
          priority: 2,
        });
        const events = await store.listEvents({ type: "task.added" });
        expect(events.map((e) => e.subject)).toEqual(["T-1", "T-2", "REQ-1"]);
      });

      it("claims the next ready task by priority, then age, skipping unmet dependencies", async () => {
        const low = await add("low", { priority: 3 });
        const first = await add("first", { priority: 1 });
        await add("blocked", { priority: 0, dependsOn: [low.id] });
        const second = await add("second", { priority: 1 });
        const c1 = await store.claimTask({ actor: "a", ttlMs: TTL });
        const c2 = await store.claimTask({ actor: "b", ttlMs: TTL });
        const c3 = await store.claimTask({ actor: "c", ttlMs: TTL });
        const c4 = await store.claimTask({ actor: "d", ttlMs: TTL });
        expect([c1.task?.id, c2.task?.id, c3.task?.id]).toEqual([first.id, second.id, low.id]);
        expect(c4).toEqual({ task: null, token: null });
      });

      it("filters the next claim by queue and by every tag asked", async () => {
        await add("plain");
        await add("web only", { tags: ["web"] });
        const both = await add("web+api", { tags: ["web", "api"] });
        const req = await add("request", { prefix: "REQ", queue: "requests", tags: ["web", "api"] });
        const tagged = await store.claimTask({
          actor: "a",
          ttlMs: TTL,
          tags: ["api", "web"],
          queue: "tasks",
        });
        expect(tagged.task?.id).toBe(both.id);
        const fromQueue = await store.claimTask({ actor: "a", ttlMs: TTL, queue: "requests" });
        expect(fromQueue.task?.id).toBe(req.id);
      });

      it("gives tokens that only grow and makes a repeated claim by the holder idempotent", async () => {
        const t1 = await add("one");
        const t2 = await add("two");
        const a = await store.claimTask({ actor: "a", id: t1.id, ttlMs: TTL });
        const b = await store.claimTask({ actor: "b", id: t2.id, ttlMs: TTL });
        expect(b.token!).toBeGreaterThan(a.token!);
        const again = await store.claimTask({ actor: "a", id: t1.id, ttlMs: TTL });
        expect(again.token).toBe(a.token);
        expect(again.renewed).toBe(true);
      });

      it("refuses a claim held by another, naming the holder", async () => {
        const t = await add("one");
        await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
        const error = await expectCode(store.claimTask({ actor: "b", id: t.id, ttlMs: TTL }), "conflict");
        expect(error.message).toContain("a");
        expect(error.details).toMatchObject({ holder: "a" });
      });

      it("reserves an assigned task for its assignee", async () => {
        await store.joinAgent({ actor: "a" });
        const t = await add("one", { assignee: "a" });
        expect((await store.claimTask({ actor: "b", ttlMs: TTL })).task).toBeNull();
        await expectCode(store.claimTask({ actor: "b", id: t.id, ttlMs: TTL }), "conflict");
        expect((await store.claimTask({ actor: "a", ttlMs: TTL })).task?.id).toBe(t.id);
      });

      it("refuses to claim a task whose dependencies are not done", async () => {
        const dep = await add("dep");
        const t = await add("after", { dependsOn: [dep.id] });
        const error = await expectCode(store.claimTask({ actor: "a", id: t.id, ttlMs: TTL }), "not_ready");
        expect(error.details).toMatchObject({ waitingOn: [dep.id] });
      });

      it("completes only for the holder or the current token (fencing)", async () => {
        const t = await add("one");
        const claim = await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
        await expectCode(store.completeTask({ actor: "b", id: t.id }), "lease_lost");
        await expectCode(store.completeTask({ actor: "a", id: t.id, token: claim.token! + 1 }), "lease_lost");
        const done = await store.completeTask({ actor: "b", id: t.id, token: claim.token!, result: "ok" });
        expect(done).toMatchObject({ status: "done", result: "ok", holder: null });
        await expectCode(store.completeTask({ actor: "a", id: t.id }), "lease_lost");
      });

      it("expires a silent holder's claim: back to the queue, attempt counted, stale completion refused", async () => {
        const t = await add("one");
        const old = await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
        clock.advance(TTL + 1);
        const fresh = await store.claimTask({ actor: "b", ttlMs: TTL });
        expect(fresh.task?.id).toBe(t.id);
        expect(fresh.task?.attempts).toBe(1);
        expect(fresh.token!).toBeGreaterThan(old.token!);
        await expectCode(store.completeTask({ actor: "a", id: t.id }), "lease_lost");
        await expectCode(store.completeTask({ actor: "a", id: t.id, token: old.token! }), "lease_lost");
        await expectCode(
          store.failTask({ actor: "a", id: t.id, token: old.token!, reason: "x" }),
          "lease_lost",
        );
        await expectCode(store.releaseTask({ actor: "a", id: t.id, token: old.token! }), "lease_lost");
        expect((await store.getTask({ id: t.id })).holder).toBe("b");
        const expired = await store.listEvents({ type: "task.expired" });
        expect(expired).toHaveLength(1);
        expect(expired[0]!.data).toMatchObject({
          before: { holder: "a" },
          after: { status: "open", attempts: 1 },
        });
      });

      it("marks a task dead when its last attempt expires, and failed when its last attempt fails", async () => {
        const t = await add("flaky");
        for (let i = 0; i < 2; i++) {
          await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
          clock.advance(TTL + 1);
        }
        expect((await store.getTask({ id: t.id })).status).toBe("dead");
        const u = await add("broken");
        await store.claimTask({ actor: "a", id: u.id, ttlMs: TTL });
        expect((await store.failTask({ actor: "a", id: u.id, reason: "r1" })).status).toBe("open");
        await store.claimTask({ actor: "a", id: u.id, ttlMs: TTL });
        const failed = await store.failTask({ actor: "a", id: u.id, reason: "r2" });
        expect(failed).toMatchObject({ status: "failed", attempts: 2, result: "r2" });
      });

      it("renews claims on heartbeat so a live holder keeps its task past the TTL", async () => {
        const t = await add("long");
        await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
        for (let i = 0; i < 5; i++) {
          clock.advance(TTL - 1000);
          const beat = await store.heartbeat({ actor: "a" });
          expect(beat.renewedTasks.map((r) => r.id)).toEqual([t.id]);
        }
        expect((await store.getTask({ id: t.id })).status).toBe("claimed");
        clock.advance(TTL + 1);
        const late = await store.heartbeat({ actor: "a" });
        expect(late.lostTasks).toEqual([t.id]);
        expect(late.renewedTasks).toEqual([]);
      });

      it("releases without counting an attempt", async () => {
        const t = await add("one");
        await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
        const released = await store.releaseTask({ actor: "a", id: t.id });
        expect(released).toMatchObject({ status: "open", attempts: 0, holder: null });
      });

      it("refuses dependency cycles and self-dependencies, naming the loop", async () => {
        const a = await add("a");
        const b = await add("b", { dependsOn: [a.id] });
        const c = await add("c", { dependsOn: [b.id] });
        const error = await expectCode(
          store.addDependency({ actor: "x", id: a.id, dependsOn: c.id }),
          "dependency_cycle",
        );
        expect(error.message).toContain(b.id);
        await expectCode(store.addDependency({ actor: "x", id: a.id, dependsOn: a.id }), "dependency_cycle");
        expect((await store.getTask({ id: a.id })).dependsOn).toEqual([]);
      });

      it("shows what a task blocks and waits on, with remarks and history", async () => {
        const a = await add("a");
        const b = await add("b");
        await store.addDependency({ actor: "x", id: b.id, dependsOn: a.id });
        await store.amendTask({ actor: "x", id: b.id, remark: "also cover the API" });
        const detail = await store.getTask({ id: b.id });
        expect(detail).toMatchObject({
          dependsOn: [a.id],
          waitingOn: [a.id],
          remarks: [{ by: "x", text: "also cover the API" }],
        });
        expect(detail.history.map((e) => e.type)).toEqual(["task.added", "task.dep_added", "task.amended"]);
        expect((await store.getTask({ id: a.id })).blocks).toEqual([b.id]);
        await store.removeDependency({ actor: "x", id: b.id, dependsOn: a.id });
        expect((await store.getTask({ id: b.id })).dependsOn).toEqual([]);
      });

      it("cancels unfinished tasks only", async () => {
        const t = await add("one");
        expect((await store.cancelTask({ actor: "x", id: t.id, reason: "dup" })).status).toBe("cancelled");
        await expectCode(store.cancelTask({ actor: "x", id: t.id, reason: null }), "invalid_state");
        await expectCode(store.claimTask({ actor: "x", id: t.id, ttlMs: TTL }), "invalid_state");
      });

      it("answers not_found for unknown tasks and changes nothing", async () => {
        await expectCode(store.getTask({ id: "T-99" }), "not_found");
        await expectCode(store.claimTask({ actor: "a", id: "T-99", ttlMs: TTL }), "not_found");
        await expectCode(add("x", { dependsOn: ["T-42"] }), "not_found");
        expect(await store.listTasks({})).toEqual([]);
      });

      it("lists by status, queue, readiness and involvement", async () => {
        const a = await add("a");
        await add("b", { dependsOn: [a.id] });
        await add("c", { assignee: "z", allowUnknownAssignee: true });
        await store.claimTask({ actor: "y", id: a.id, ttlMs: TTL });
        expect((await store.listTasks({ status: ["claimed"] })).map((t) => t.id)).toEqual([a.id]);
        expect((await store.listTasks({ ready: true, readyFor: "z" })).map((t) => t.id)).toEqual(["T-3"]);
        expect((await store.listTasks({ ready: true, readyFor: "w" })).map((t) => t.id)).toEqual([]);
        expect((await store.listTasks({ involving: "y" })).map((t) => t.id)).toEqual([a.id]);
        expect((await store.listTasks({ involving: "z" })).map((t) => t.id)).toEqual(["T-3"]);
      });

      it("keeps nothing from a dry run", async () => {
        const t = await add("one");
        const dry = await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL, dryRun: true });
        expect(dry.task?.status).toBe("claimed");
        expect((await store.getTask({ id: t.id })).status).toBe("open");
        await add("two", { dryRun: true });
        expect(await store.listTasks({})).toHaveLength(1);
      });
    });

    describe("leases", () => {
      const lock = (
        actor: string,
        paths: string[],
        extra: { exclusive?: boolean; ttlMs?: number; intent?: string } = {},
      ) =>
        store.acquireLeases({
          actor,
          paths,
          exclusive: extra.exclusive ?? true,
          ttlMs: extra.ttlMs ?? TTL,
          intent: extra.intent,
        });

      it("grants all or nothing, and a conflict names holder, intent and expiry", async () => {
        await lock("a", ["src/a.ts"], { intent: "refactor" });
        const result = await lock("b", ["src/b.ts", "src/a.ts"]);
        expect(result.granted).toEqual([]);
        expect(result.conflicts).toEqual([
          {
            path: "src/a.ts",
            heldPath: "src/a.ts",
            holder: "a",
            intent: "refactor",
            exclusive: true,
            expiresAt: clock.now() + TTL,
          },
        ]);
        expect(await store.listLeases({ holder: "b" })).toEqual([]);
      });

      it("matches globs against the paths they cover", async () => {
        await lock("a", ["src/api/**"]);
        expect((await lock("b", ["src/api/users.ts"])).conflicts).toHaveLength(1);
        expect((await lock("b", ["src/*.ts"])).conflicts).toHaveLength(0);
        await lock("c", ["docs/**/*.md"]);
        expect((await lock("b", ["docs/guide/intro.md"])).conflicts).toHaveLength(1);
        expect((await lock("b", ["docs/guide/intro.txt"])).conflicts).toHaveLength(0);
      });

      it("lets shared leases coexist but not with an exclusive one", async () => {
        expect((await lock("a", ["schema.sql"], { exclusive: false })).granted).toHaveLength(1);
        expect((await lock("b", ["schema.sql"], { exclusive: false })).granted).toHaveLength(1);
        expect((await lock("c", ["schema.sql"])).conflicts.map((c) => c.holder).sort()).toEqual(["a", "b"]);
      });

      it("renews a re-lock by the holder with the same token; a new grant gets a larger token", async () => {
        const first = await lock("a", ["x"]);
        clock.advance(MIN);
        const again = await lock("a", ["x"]);
        expect(again.granted[0]!.token).toBe(first.granted[0]!.token);
        expect(again.granted[0]!.expiresAt).toBe(clock.now() + TTL);
        await store.releaseLeases({ actor: "a", paths: ["x"] });
        const next = await lock("b", ["x"]);
        expect(next.granted[0]!.token).toBeGreaterThan(first.granted[0]!.token);
      });

      it("frees an expired lease and refuses its old holder's release", async () => {
        const old = await lock("a", ["x"], { ttlMs: MIN });
        clock.advance(MIN);
        expect((await lock("b", ["x"])).granted).toHaveLength(1);
        await expectCode(store.releaseLeases({ actor: "a", paths: ["x"] }), "lease_lost");
        await expectCode(
          store.releaseLeases({ actor: "b", paths: ["x"], token: old.granted[0]!.token }),
          "lease_lost",
        );
        expect((await store.listLeases({})).map((l) => l.holder)).toEqual(["b"]);
        expect((await store.listEvents({ type: "lease.expired" })).map((e) => e.subject)).toEqual(["x"]);
      });

      it("renews leases on heartbeat", async () => {
        await lock("a", ["x"], { ttlMs: MIN });
        clock.advance(MIN - 1);
        expect((await store.heartbeat({ actor: "a" })).renewedLeases.map((l) => l.path)).toEqual(["x"]);
        clock.advance(MIN - 1);
        expect((await lock("b", ["x"])).conflicts).toHaveLength(1);
      });

      it("force-releases any holder's lease, logging it", async () => {
        await lock("a", ["x"]);
        const released = await store.forceReleaseLeases({ actor: "human", paths: ["x"] });
        expect(released.map((l) => l.holder)).toEqual(["a"]);
        const [event] = await store.listEvents({ type: "lease.force_released" });
        expect(event).toMatchObject({ actor: "human", subject: "x" });
        await expectCode(store.forceReleaseLeases({ actor: "human", paths: ["x"] }), "not_found");
      });

      it("lists leases overlapping a path", async () => {
        await lock("a", ["src/**"]);
        await lock("b", ["docs/a.md"]);
        expect((await store.listLeases({ overlapping: "src/x/y.ts" })).map((l) => l.holder)).toEqual(["a"]);
      });
    });

    describe("agents", () => {
      it("registers an unknown actor on first sight as custom, once", async () => {
        await add("one");
        await add("two");
        const agents = await store.listAgents({ hungAfterMs: MIN, offlineAfterMs: MIN });
        expect(agents).toMatchObject([{ name: "lead", kind: "custom", status: "idle" }]);
        expect(await store.listEvents({ type: "agent.joined" })).toHaveLength(1);
      });

      it("derives idle, busy, hung and offline from heartbeats and holdings", async () => {
        await store.joinAgent({ actor: "a", kind: "claude", role: "backend" });
        await store.joinAgent({ actor: "b", kind: "human" });
        const t = await add("t");
        await store.claimTask({ actor: "a", id: t.id, ttlMs: 100 * MIN });
        const rules = { hungAfterMs: 5 * MIN, offlineAfterMs: 10 * MIN };
        const status = async () =>
          Object.fromEntries((await store.listAgents(rules)).map((agent) => [agent.name, agent.status]));
        expect(await status()).toEqual({ a: "busy", b: "idle", lead: "idle" });
        clock.advance(6 * MIN);
        expect(await status()).toMatchObject({ a: "hung", b: "idle" });
        const swept = await store.sweep({ actor: "guardian", hungAfterMs: rules.hungAfterMs });
        expect(swept.hungAgents).toEqual(["a"]);
        expect((await store.sweep({ actor: "guardian", hungAfterMs: rules.hungAfterMs })).hungAgents).toEqual(
          [],
        );
        clock.advance(5 * MIN);
        expect(await status()).toMatchObject({ b: "offline" });
        await store.heartbeat({ actor: "a", workingOn: "tests" });
        const [a] = await store.listAgents(rules);
        expect(a).toMatchObject({
          name: "a",
          status: "busy",
          tasks: [t.id],
          workingOn: "tests",
          role: "backend",
          kind: "claude",
        });
        expect((await store.listEvents({ type: "agent.recovered" })).map((e) => e.subject)).toEqual(["a"]);
      });

      it("records the activity a host reports with its signal; logs a change of state, not every report", async () => {
        const rules = { hungAfterMs: 5 * MIN, offlineAfterMs: 10 * MIN };
        const activity = async () => (await store.listAgents(rules)).find((a) => a.name === "a")?.activity;
        await store.joinAgent({ actor: "a", kind: "claude" });
        expect(await activity()).toBeNull();
        await store.reportActivity({ actor: "a", state: "working", signal: "claude:UserPromptSubmit" });
        clock.advance(MIN);
        const at = clock.now();
        await store.reportActivity({
          actor: "a",
          state: "waiting",
          signal: "claude:Notification:permission_prompt",
          detail: "Claude needs your permission to use Bash",
        });
        expect(await activity()).toEqual({
          state: "waiting",
          signal: "claude:Notification:permission_prompt",
          detail: "Claude needs your permission to use Bash",
          at,
        });
        await store.reportActivity({
          actor: "a",
          state: "waiting",
          signal: "claude:PreToolUse:AskUserQuestion",
        });
        expect(await activity()).toMatchObject({
          state: "waiting",
          signal: "claude:PreToolUse:AskUserQuestion",
          detail: null,
        });
        const events = await store.listEvents({ type: "agent.activity" });
        expect(events.map((e) => (e.data as { after: { state: string } }).after.state)).toEqual([
          "working",
          "waiting",
        ]);
        // A report is a sign of life too.
        clock.advance(6 * MIN);
        await store.reportActivity({ actor: "a", state: "idle", signal: "claude:Stop" });
        expect((await store.listAgents(rules)).find((a) => a.name === "a")).toMatchObject({
          status: "idle",
          lastSeenAt: clock.now(),
          activity: { state: "idle", signal: "claude:Stop" },
        });
      });

      it("releases everything on leave, without counting attempts", async () => {
        const t = await add("t");
        await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
        await store.acquireLeases({ actor: "a", paths: ["x"], exclusive: true, ttlMs: TTL });
        const left = await store.leaveAgent({ actor: "a" });
        expect(left).toEqual({ agent: "a", releasedTasks: [t.id], releasedLeases: ["x"] });
        expect(await store.getTask({ id: t.id })).toMatchObject({ status: "open", attempts: 0 });
        const agents = await store.listAgents({ hungAfterMs: MIN, offlineAfterMs: MIN });
        expect(agents.find((agent) => agent.name === "a")?.status).toBe("offline");
      });
    });

    describe("messages", () => {
      const send = (
        actor: string,
        to: string | null,
        body: string,
        extra: Partial<Parameters<Store["sendMessage"]>[0]> = {},
      ) => store.sendMessage({ actor, kind: "direct", to, body, ...extra });
      const inbox = (actor: string, extra: { all?: boolean; ack?: boolean; limit?: number } = {}) =>
        store.readMessages({ actor, stream: "inbox", ...extra });

      it("keeps a direct message for an offline agent until it reads and acknowledges it", async () => {
        await store.joinAgent({ actor: "bob" });
        await store.leaveAgent({ actor: "bob" });
        let sent!: Awaited<ReturnType<typeof send>>;
        const woken = await topicsWoken(store, ["inbox:bob", "inbox:alice", CHANGED], async () => {
          sent = await send("alice", "bob", "T-3 is ready for review");
        });
        expect(woken).toEqual(["inbox:bob", CHANGED]);
        expect(sent).toMatchObject({
          recipients: ["bob"],
          message: { id: "M-1", sender: "alice", kind: "direct" },
        });
        const first = await inbox("bob");
        expect(first.messages.map((m) => m.body)).toEqual(["T-3 is ready for review"]);
        expect(first.unread).toBe(1);
        expect((await inbox("bob")).messages).toHaveLength(1); // not acknowledged: still there
        const acked = await inbox("bob", { ack: true });
        expect(acked).toMatchObject({ unread: 0, cursor: sent.message.seq });
        expect((await inbox("bob")).messages).toEqual([]);
        expect((await inbox("bob", { all: true })).messages).toHaveLength(1);
      });

      it("refuses unknown recipients unless asked to keep the message for a newcomer", async () => {
        await expectCode(send("alice", "carol", "hi"), "not_found");
        await send("alice", "carol", "hi", { allowUnknown: true });
        expect((await inbox("carol")).messages.map((m) => m.body)).toEqual(["hi"]);
      });

      it("broadcasts to every other agent, or to one role, and keeps inboxes apart", async () => {
        await store.joinAgent({ actor: "a", role: "dev" });
        await store.joinAgent({ actor: "b", role: "dev" });
        await store.joinAgent({ actor: "r", role: "reviewer" });
        const all = await store.sendMessage({ actor: "a", kind: "broadcast", to: null, body: "standup" });
        expect(all.recipients).toEqual(["b", "r"]);
        const devs = await store.sendMessage({
          actor: "r",
          kind: "broadcast",
          to: "dev",
          body: "please review T-1",
        });
        expect(devs.recipients).toEqual(["a", "b"]);
        await expectCode(
          store.sendMessage({ actor: "a", kind: "broadcast", to: "nobody", body: "x" }),
          "not_found",
        );
        expect((await inbox("b")).messages.map((m) => m.body)).toEqual(["standup", "please review T-1"]);
        expect((await inbox("r")).messages.map((m) => m.body)).toEqual(["standup"]);
        expect((await inbox("a")).messages.map((m) => m.body)).toEqual(["please review T-1"]);
      });

      it("posts to existing channels only and reads them with a cursor per reader", async () => {
        await expectCode(
          store.sendMessage({ actor: "a", kind: "channel", to: "backend", body: "x" }),
          "not_found",
        );
        const channel = await store.addChannel({ actor: "a", name: "backend", topic: "API" });
        expect(channel).toMatchObject({ name: "backend", topic: "API", createdBy: "a", messages: 0 });
        await store.addChannel({ actor: "b", name: "backend" }); // idempotent
        const woken = await topicsWoken(store, ["#backend", "#frontend", "inbox:b"], () =>
          store.sendMessage({ actor: "a", kind: "channel", to: "backend", body: "schema merged" }),
        );
        expect(woken).toEqual(["#backend"]);
        expect(
          (await store.readMessages({ actor: "b", stream: "#backend", ack: true })).messages,
        ).toHaveLength(1);
        expect((await store.readMessages({ actor: "b", stream: "#backend" })).messages).toHaveLength(0);
        expect((await store.readMessages({ actor: "c", stream: "#backend" })).messages).toHaveLength(1);
        expect(await store.listChannels()).toMatchObject([{ name: "backend", messages: 1 }]);
      });

      it("threads replies under the first message", async () => {
        await store.joinAgent({ actor: "b" });
        await store.joinAgent({ actor: "a" });
        const first = await send("a", "b", "question");
        const reply = await send("b", "a", "answer", { replyTo: first.message.seq });
        const again = await send("a", "b", "thanks", { replyTo: reply.message.seq });
        expect(again.message).toMatchObject({ thread: first.message.id, replyTo: reply.message.id });
        expect((await store.getThread({ seq: again.message.seq })).map((m) => m.body)).toEqual([
          "question",
          "answer",
          "thanks",
        ]);
        await expectCode(send("a", "b", "x", { replyTo: 999 }), "not_found");
      });

      it("pages an inbox with a limit, acknowledging only what was shown", async () => {
        await store.joinAgent({ actor: "b" });
        for (let i = 0; i < 5; i++) await send("a", "b", `m${i}`);
        const page = await inbox("b", { ack: true, limit: 2 });
        expect(page.messages.map((m) => m.body)).toEqual(["m0", "m1"]);
        expect(page.unread).toBe(3);
        expect((await inbox("b", { ack: true })).messages.map((m) => m.body)).toEqual(["m2", "m3", "m4"]);
      });

      it("pages a conversation back without moving a cursor, and counts what each reader has not read", async () => {
        await store.joinAgent({ actor: "b" });
        await store.joinAgent({ actor: "c" });
        await store.addChannel({ actor: "a", name: "dev" });
        for (let i = 0; i < 3; i++)
          await store.sendMessage({ actor: "a", kind: "channel", to: "dev", body: `d${i}` });
        await send("a", "b", "to b");
        await send("c", "b", "from c");
        await send("b", "a", "b to a");
        await store.sendMessage({ actor: "a", kind: "broadcast", to: null, body: "all" });
        const newest = await store.listMessages({ channel: "dev", limit: 2 });
        expect(newest.map((m) => m.body)).toEqual(["d1", "d2"]);
        expect(
          (await store.listMessages({ channel: "dev", beforeSeq: newest[0]!.seq })).map((m) => m.body),
        ).toEqual(["d0"]);
        await expectCode(store.listMessages({ channel: "nope" }), "not_found");
        expect((await store.listMessages({ between: ["b", "a"] })).map((m) => m.body)).toEqual([
          "to b",
          "b to a",
          "all",
        ]);
        expect((await store.listMessages({ broadcasts: true })).map((m) => m.body)).toEqual(["all"]);
        expect(await store.unreadCounts({ reader: "b" })).toEqual({
          channels: { dev: 3 },
          inbox: { a: 2, c: 1 },
        });
        await inbox("b", { ack: true, limit: 1 });
        await store.readMessages({ actor: "b", stream: "#dev", ack: true });
        expect(await store.unreadCounts({ reader: "b" })).toEqual({
          channels: { dev: 0 },
          inbox: { a: 1, c: 1 },
        });
      });

      it("logs one event per message sent", async () => {
        await store.joinAgent({ actor: "b" });
        await send("a", "b", "hi", { urgent: true });
        const [event] = await store.listEvents({ type: "message.sent" });
        expect(event).toMatchObject({
          actor: "a",
          subject: "M-1",
          data: { after: { urgent: true, recipients: 1 } },
        });
      });
    });

    describe("questions and approvals", () => {
      it("asks, answers once, and puts the answer in the asker's inbox", async () => {
        await store.joinAgent({ actor: "human", kind: "human" });
        const t = await add("t");
        let asked!: Awaited<ReturnType<Store["askQuestion"]>>;
        const wokenByAsk = await topicsWoken(store, ["questions", "approvals"], async () => {
          asked = await store.askQuestion({
            actor: "bot",
            text: "Which DB?",
            options: ["sqlite", "pg"],
            task: t.id,
          });
        });
        expect(wokenByAsk).toEqual(["questions"]);
        expect(asked.question).toMatchObject({
          id: "Q-1",
          status: "open",
          options: ["sqlite", "pg"],
          task: t.id,
          askedBy: "bot",
        });
        expect((await store.listQuestions({ open: true })).map((q) => q.id)).toEqual(["Q-1"]);
        let answered!: Awaited<ReturnType<Store["answerQuestion"]>>;
        const wokenByAnswer = await topicsWoken(
          store,
          ["question:1", "question:2", "inbox:bot"],
          async () => {
            answered = await store.answerQuestion({ actor: "human", seq: 1, answer: "pg" });
          },
        );
        expect(answered.question).toMatchObject({ status: "answered", answer: "pg", answeredBy: "human" });
        expect(wokenByAnswer).toEqual(["question:1", "inbox:bot"]);
        await expectCode(store.answerQuestion({ actor: "human", seq: 1, answer: "sqlite" }), "invalid_state");
        expect((await store.getQuestion({ seq: 1 })).answer).toBe("pg");
        const inbox = await store.readMessages({ actor: "bot", stream: "inbox" });
        expect(inbox.messages.map((m) => m.body)).toEqual(['Answer to Q-1 ("Which DB?"): pg']);
        await expectCode(
          store.askQuestion({ actor: "bot", text: "x", options: null, task: "T-99" }),
          "not_found",
        );
        await expectCode(store.getQuestion({ seq: 9 }), "not_found");
      });

      it("lets only a human decide an approval, once", async () => {
        await store.joinAgent({ actor: "human", kind: "human" });
        await store.joinAgent({ actor: "bot", kind: "claude" });
        const { approval } = await store.requestApproval({
          actor: "bot",
          action: "drop table",
          plan: "1. backup",
          task: null,
        });
        expect(approval).toMatchObject({ id: "A-1", status: "pending", plan: "1. backup" });
        const refused = await expectCode(
          store.decideApproval({ actor: "bot", seq: 1, approve: true, note: null }),
          "forbidden",
        );
        expect(refused.message).toContain("only a human");
        expect((await store.getApproval({ seq: 1 })).status).toBe("pending");
        let decided!: Awaited<ReturnType<Store["decideApproval"]>>;
        const wokenByDecision = await topicsWoken(
          store,
          ["approval:1", "inbox:bot", "inbox:human"],
          async () => {
            decided = await store.decideApproval({
              actor: "human",
              seq: 1,
              approve: false,
              note: "too risky",
            });
          },
        );
        expect(decided.approval).toMatchObject({ status: "rejected", decidedBy: "human", note: "too risky" });
        expect(wokenByDecision).toEqual(["approval:1", "inbox:bot"]);
        await expectCode(
          store.decideApproval({ actor: "human", seq: 1, approve: true, note: null }),
          "invalid_state",
        );
        expect((await store.listApprovals({ open: true })).length).toBe(0);
        expect((await store.listEvents({ type: "approval." })).map((e) => e.type)).toEqual([
          "approval.requested",
          "approval.rejected",
        ]);
      });

      it("lets the requester expire its own pending approval, which then cannot be decided", async () => {
        await store.joinAgent({ actor: "human", kind: "human" });
        await store.joinAgent({ actor: "bot", kind: "claude" });
        await store.joinAgent({ actor: "other", kind: "claude" });
        await store.requestApproval({ actor: "bot", action: "run rm", plan: null, task: null });
        await expectCode(store.expireApproval({ actor: "other", seq: 1, note: "not mine" }), "forbidden");
        const woken = await topicsWoken(store, ["approval:1"], async () => {
          const { approval } = await store.expireApproval({ actor: "bot", seq: 1, note: "the run ended" });
          expect(approval).toMatchObject({ status: "expired", decidedBy: "bot", note: "the run ended" });
        });
        expect(woken).toEqual(["approval:1"]);
        expect(await store.listApprovals({ open: true })).toEqual([]);
        const refused = await expectCode(
          store.decideApproval({ actor: "human", seq: 1, approve: true, note: null }),
          "invalid_state",
        );
        expect(refused.message).toContain("A-1 has expired: the run ended");
        // Expiring again, or expiring a decided approval, changes nothing.
        expect((await store.expireApproval({ actor: "bot", seq: 1, note: "again" })).approval.note).toBe(
          "the run ended",
        );
        await store.requestApproval({ actor: "bot", action: "run ls", plan: null, task: null });
        await store.decideApproval({ actor: "human", seq: 2, approve: true, note: null });
        expect((await store.expireApproval({ actor: "bot", seq: 2, note: "late" })).approval.status).toBe(
          "approved",
        );
        expect((await store.listEvents({ type: "approval." })).map((e) => e.type)).toEqual([
          "approval.requested",
          "approval.expired",
          "approval.requested",
          "approval.approved",
        ]);
      });

      it("refuses to complete a plan-required task until its plan is approved", async () => {
        await store.joinAgent({ actor: "human", kind: "human" });
        const t = await add("migrate", { planRequired: true });
        expect(t.planRequired).toBe(true);
        await store.claimTask({ actor: "bot", id: t.id, ttlMs: TTL });
        await expectCode(store.completeTask({ actor: "bot", id: t.id }), "approval_required");
        await store.requestApproval({ actor: "bot", action: "plan", plan: "steps", task: t.id });
        const pending = await expectCode(store.completeTask({ actor: "bot", id: t.id }), "approval_required");
        expect(pending.message).toContain("A-1");
        await store.decideApproval({ actor: "human", seq: 1, approve: true, note: null });
        expect((await store.completeTask({ actor: "bot", id: t.id })).status).toBe("done");
      });

      it("never counts a host's tool permission as a task's approved plan", async () => {
        await store.joinAgent({ actor: "human", kind: "human" });
        const t = await add("migrate", { planRequired: true });
        await store.claimTask({ actor: "bot", id: t.id, ttlMs: TTL });
        const { approval } = await store.requestApproval({
          actor: "bot",
          action: "bot asks to use Bash: ls",
          plan: null,
          task: t.id,
          kind: "permission",
        });
        expect(approval).toMatchObject({ kind: "permission", task: t.id });
        // Not named as the plan it waits for, and approving it opens no gate.
        const waiting = await expectCode(store.completeTask({ actor: "bot", id: t.id }), "approval_required");
        expect(waiting.message).not.toContain("A-1");
        await store.decideApproval({ actor: "human", seq: 1, approve: true, note: null });
        await expectCode(store.completeTask({ actor: "bot", id: t.id }), "approval_required");
        const plan = await store.requestApproval({ actor: "bot", action: "plan", plan: "steps", task: t.id });
        expect(plan.approval.kind).toBe("request");
        await store.decideApproval({ actor: "human", seq: 2, approve: true, note: null });
        expect((await store.completeTask({ actor: "bot", id: t.id })).status).toBe("done");
      });

      it("expires a pending approval at its deadline, so one whose asker died cannot be decided later", async () => {
        await store.joinAgent({ actor: "human", kind: "human" });
        const { approval } = await store.requestApproval({
          actor: "bot",
          action: "bot asks to use Bash: rm -rf /",
          plan: null,
          task: null,
          kind: "permission",
          ttlMs: 10 * MIN,
        });
        expect(approval.expiresAt).toBe(clock.now() + 10 * MIN);
        await store.requestApproval({ actor: "bot", action: "no deadline", plan: null, task: null });
        clock.advance(10 * MIN - 1);
        expect((await store.listApprovals({ open: true })).map((a) => a.id)).toEqual(["A-1", "A-2"]);
        clock.advance(1);
        const woken = await topicsWoken(store, ["approval:1"], async () => {
          expect((await store.listApprovals({ open: true })).map((a) => a.id)).toEqual(["A-2"]);
        });
        expect(woken).toEqual(["approval:1"]);
        expect(await store.getApproval({ seq: 1 })).toMatchObject({ status: "expired", decidedBy: "bot" });
        const refused = await expectCode(
          store.decideApproval({ actor: "human", seq: 1, approve: true, note: null }),
          "invalid_state",
        );
        expect(refused.message).toContain("A-1 has expired");
        const [expired] = await store.listEvents({ type: "approval.expired" });
        expect(expired).toMatchObject({ actor: "guardian", subject: "A-1" });
        await expectCode(
          store.requestApproval({ actor: "bot", action: "x", plan: null, task: null, ttlMs: -1 }),
          "invalid_input",
        );
      });
    });

    describe("routing and SLAs", () => {
      it("gives a task a due time from its SLA and escalates it once when overdue, to every human", async () => {
        await store.joinAgent({ actor: "lea", kind: "human" });
        await store.joinAgent({ actor: "max", kind: "human" });
        const t = await add("review", { slaMs: 30 * MIN });
        expect(t.dueAt).toBe(clock.now() + 30 * MIN);
        await store.claimTask({ actor: "bob", id: t.id, ttlMs: 100 * MIN });
        clock.advance(29 * MIN);
        expect((await store.sweep({ actor: "guardian", hungAfterMs: 1000 * MIN })).escalatedTasks).toEqual(
          [],
        );
        clock.advance(2 * MIN);
        let swept!: Awaited<ReturnType<Store["sweep"]>>;
        const woken = await topicsWoken(store, ["inbox:bob", "inbox:lea", "inbox:max"], async () => {
          swept = await store.sweep({ actor: "guardian", hungAfterMs: 1000 * MIN });
        });
        expect(swept.escalatedTasks).toEqual([t.id]);
        expect(woken).toEqual(["inbox:lea", "inbox:max"]);
        expect((await store.sweep({ actor: "guardian", hungAfterMs: 1000 * MIN })).escalatedTasks).toEqual(
          [],
        );
        const [message] = (await store.readMessages({ actor: "lea", stream: "inbox" })).messages;
        expect(message).toMatchObject({ kind: "escalation", sender: "guardian", urgent: true });
        expect(message!.body).toContain(`${t.id} "review"`);
        expect(message!.body).toContain("Held by bob");
        expect(message!.body).toContain("claimed");
        expect(await store.listEscalations({ task: t.id })).toMatchObject([
          { id: "E-1", by: "guardian", message: message!.id },
        ]);
        expect((await store.getTask({ id: t.id })).escalatedAt).toBe(clock.now());
      });

      it("escalates by hand with a reason, even before any human has joined", async () => {
        const t = await add("stuck");
        const { escalation } = await store.escalateTask({
          actor: "bob",
          id: t.id,
          reason: "blocked on credentials",
        });
        expect(escalation).toMatchObject({ task: t.id, by: "bob", reason: "blocked on credentials" });
        await store.joinAgent({ actor: "lea", kind: "human" });
        expect((await store.listEscalations({})).length).toBe(1);
        await expectCode(store.escalateTask({ actor: "bob", id: "T-99", reason: "x" }), "not_found");
      });

      it("lets only the handler role claim from a handler-only queue", async () => {
        await store.joinAgent({ actor: "rita", role: "reviewer" });
        await store.joinAgent({ actor: "dev", role: "developer" });
        const review = await add("review PR", { prefix: "REV", queue: "reviews" });
        const handlerOnly = { reviews: "reviewer" };
        expect((await store.claimTask({ actor: "dev", ttlMs: TTL, handlerOnly })).task).toBeNull();
        const refused = await expectCode(
          store.claimTask({ actor: "dev", id: review.id, ttlMs: TTL, handlerOnly }),
          "forbidden",
        );
        expect(refused.message).toContain("reviewer");
        expect((await store.claimTask({ actor: "rita", ttlMs: TTL, handlerOnly })).task?.id).toBe(review.id);
      });
    });

    describe("event log", () => {
      it("appends user events and filters by actor, type family, subject and time", async () => {
        const t = await add("one");
        clock.advance(MIN);
        await store.appendEvent({ actor: "a", type: "decision", summary: "use SQLite", subject: t.id });
        await store.claimTask({ actor: "a", id: t.id, ttlMs: TTL });
        expect((await store.listEvents({ actor: "a", type: "decision" })).map((e) => e.summary)).toEqual([
          "use SQLite",
        ]);
        expect((await store.listEvents({ type: "task." })).map((e) => e.type)).toEqual([
          "task.added",
          "task.claimed",
        ]);
        expect((await store.listEvents({ subject: t.id })).length).toBe(3);
        expect((await store.listEvents({ sinceMs: clock.now() })).every((e) => e.at >= clock.now())).toBe(
          true,
        );
        const all = await store.listEvents({});
        expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((x, y) => x - y));
        expect((await store.listEvents({ limit: 2 })).map((e) => e.seq)).toEqual(
          all.slice(-2).map((e) => e.seq),
        );
        expect((await store.listEvents({ beforeSeq: all.at(-1)!.seq, limit: 2 })).map((e) => e.seq)).toEqual(
          all.slice(-3, -1).map((e) => e.seq),
        );
      });

      it("writes exactly one event per change, in the same transaction", async () => {
        const before = (await store.listEvents({})).length;
        const t = await add("one");
        await store.claimTask({ actor: "lead", id: t.id, ttlMs: TTL });
        await store.completeTask({ actor: "lead", id: t.id });
        const types = (await store.listEvents({ afterSeq: before })).map((e) => e.type);
        expect(types).toEqual(["agent.joined", "task.added", "task.claimed", "task.completed"]);
        await expectCode(store.completeTask({ actor: "lead", id: t.id }), "lease_lost");
        expect((await store.listEvents({})).length).toBe(before + 4);
      });
    });
  });
}
