import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { UNSUCCESSFUL_STATUSES } from "../src/domain/types.js";
import { BatonError } from "../src/errors.js";
import type { Store } from "../src/store/port.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { tempDir } from "./helpers/temp-repo.js";

/**
 * Promise 4 over random task graphs: tasks with random dependencies, queues
 * (one handler-only), assignees and attempt limits, then random claims,
 * completions, failures, cancellations, expiries and removed dependencies.
 *
 * After every step, for every agent, `list --ready` is exactly the set of
 * tasks a claim by id would grant, and a claim of "the next task" takes its
 * first; an open task is blocked exactly when a dependency reached through
 * open tasks ended without success, and names those. Then the team works
 * until nobody can claim anything: every task must have ended, or be blocked
 * with a named cause. None may stay open for no reason.
 */

const TTL = 1000;
const AGENTS = ["a", "b", "c"] as const;
/** `reviews` is handler-only: only role reviewer (b) claims from it. */
const HANDLER_ONLY = { reviews: "reviewer" };

interface TaskSpec {
  deps: number[];
  queue: "tasks" | "reviews";
  assignee: string | null;
  maxAttempts: number;
  priority: number;
}

type Step =
  | { kind: "claim"; agent: string; task: number | null }
  | { kind: "complete" | "fail"; task: number }
  | { kind: "cancel"; task: number }
  | { kind: "expire" }
  | { kind: "undepend"; task: number; dep: number }
  | { kind: "assign"; task: number; agent: string | null };

const taskSpec = (index: number): fc.Arbitrary<TaskSpec> =>
  fc.constantFrom<"tasks" | "reviews">("tasks", "tasks", "reviews").chain((queue) =>
    fc.record({
      deps: index === 0 ? fc.constant([]) : fc.uniqueArray(fc.nat(index - 1), { maxLength: 3 }),
      queue: fc.constant(queue),
      // Reserved only for an agent that may claim from its queue.
      assignee:
        queue === "reviews" ? fc.constantFrom(null, null, "b") : fc.constantFrom(null, null, "a", "b", "c"),
      maxAttempts: fc.constantFrom(1, 2),
      priority: fc.nat(3),
    }),
  );

const graph = fc
  .integer({ min: 2, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => taskSpec(i))));

const step = (n: number): fc.Arbitrary<Step> =>
  fc.oneof(
    fc.record({
      kind: fc.constant("claim" as const),
      agent: fc.constantFrom(...AGENTS),
      task: fc.option(fc.nat(n - 1), { nil: null }),
    }),
    fc.record({ kind: fc.constantFrom("complete" as const, "fail" as const), task: fc.nat(n - 1) }),
    fc.record({ kind: fc.constant("cancel" as const), task: fc.nat(n - 1) }),
    fc.record({ kind: fc.constant("expire" as const) }),
    fc.record({ kind: fc.constant("undepend" as const), task: fc.nat(n - 1), dep: fc.nat(n - 1) }),
    fc.record({
      kind: fc.constant("assign" as const),
      task: fc.nat(n - 1),
      agent: fc.constantFrom(null, ...AGENTS),
    }),
  );

async function attempt(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof BatonError) return error;
    throw error;
  }
}

/** The oracle: unsuccessful tasks reached from `id` through its dependencies, walking only through open tasks. */
function expectedBlockers(id: string, deps: Map<string, string[]>, status: Map<string, string>): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const walk = (from: string) => {
    for (const dep of deps.get(from) ?? []) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      if (UNSUCCESSFUL_STATUSES.includes(status.get(dep) as never)) found.add(dep);
      else if (status.get(dep) === "open") walk(dep);
    }
  };
  walk(id);
  return [...found].sort();
}

async function checkInvariants(store: Store): Promise<void> {
  const tasks = await store.listTasks({});
  const deps = new Map(tasks.map((t) => [t.id, t.dependsOn]));
  const status = new Map(tasks.map((t) => [t.id, t.status as string]));
  for (const task of tasks) {
    const blockers = task.status === "open" ? expectedBlockers(task.id, deps, status) : [];
    expect(task.blockedBy.map((b) => b.id).sort(), `${task.id} blockedBy`).toEqual(blockers);
    for (const cause of task.blockedBy) expect(cause.status).toBe(status.get(cause.id));
    // One task alone (a walk up from it) and the list (one walk down from the causes) agree.
    expect((await store.getTask({ id: task.id })).blockedBy, `${task.id} alone`).toEqual(task.blockedBy);
  }
  for (const agent of AGENTS) {
    const ready = (await store.listTasks({ ready: true, readyFor: agent, handlerOnly: HANDLER_ONLY })).map(
      (t) => t.id,
    );
    const claimable: string[] = [];
    for (const task of tasks.filter((t) => t.status !== "claimed")) {
      const result = await attempt(() =>
        store.claimTask({ actor: agent, id: task.id, ttlMs: TTL, handlerOnly: HANDLER_ONLY, dryRun: true }),
      );
      if (!(result instanceof BatonError)) claimable.push(task.id);
      else if (task.blockedBy.length > 0) {
        // Another role's queue or another agent's reservation is said first; otherwise, the block and its cause.
        expect(["not_ready", "forbidden", "conflict"]).toContain(result.code);
        if (result.code === "not_ready") expect(result.details).toMatchObject({ blockedBy: task.blockedBy });
      }
    }
    expect(ready.sort(), `${agent}: list --ready = what a claim grants`).toEqual(claimable.sort());
    const next = await store.claimTask({ actor: agent, ttlMs: TTL, handlerOnly: HANDLER_ONLY, dryRun: true });
    const first = (await store.listTasks({ ready: true, readyFor: agent, handlerOnly: HANDLER_ONLY }))[0];
    expect(next.task?.id ?? null, `${agent}: the next claim takes the first ready task`).toBe(
      first?.id ?? null,
    );
  }
}

async function run(specs: TaskSpec[], steps: Step[]): Promise<void> {
  const clock = new ManualClock(0);
  const store = new SqliteStore({ path: join(tempDir(), "ready.db"), clock });
  try {
    await store.joinAgent({ actor: "boss", kind: "human" });
    await store.joinAgent({ actor: "a", role: "developer" });
    await store.joinAgent({ actor: "b", role: "reviewer" });
    await store.joinAgent({ actor: "c" });
    const ids: string[] = [];
    for (const spec of specs) {
      const add = (assignee: string | null) =>
        store.addTask({
          actor: "boss",
          prefix: spec.queue === "reviews" ? "REV" : "T",
          queue: spec.queue,
          title: `task ${ids.length}`,
          dependsOn: spec.deps.map((d) => ids[d]!),
          assignee,
          maxAttempts: spec.maxAttempts,
          priority: spec.priority,
          handlerOnly: HANDLER_ONLY,
        });
      const task = await attempt(() => add(spec.assignee));
      if (task instanceof BatonError) {
        // Reserved for an agent whose role may not claim from the queue: refused, never kept.
        expect(task.code).toBe("forbidden");
        expect(spec.queue === "reviews" && spec.assignee !== "b").toBe(true);
        ids.push((await add(null)).id);
      } else ids.push((task as { id: string }).id);
    }
    await checkInvariants(store);
    for (const s of steps) {
      const holder = async (i: number) => (await store.getTask({ id: ids[i]! })).holder ?? "a";
      switch (s.kind) {
        case "claim":
          await attempt(() =>
            store.claimTask({
              actor: s.agent,
              id: s.task === null ? undefined : ids[s.task],
              ttlMs: TTL,
              handlerOnly: HANDLER_ONLY,
            }),
          );
          break;
        case "complete":
          await attempt(async () => store.completeTask({ actor: await holder(s.task), id: ids[s.task]! }));
          break;
        case "fail":
          await attempt(async () =>
            store.failTask({ actor: await holder(s.task), id: ids[s.task]!, reason: "property" }),
          );
          break;
        case "cancel":
          await attempt(() => store.cancelTask({ actor: "boss", id: ids[s.task]!, reason: "property" }));
          break;
        case "expire":
          clock.advance(TTL + 1);
          break;
        case "assign":
          await attempt(() =>
            store.assignTask({
              actor: "boss",
              id: ids[s.task]!,
              assignee: s.agent,
              handlerOnly: HANDLER_ONLY,
            }),
          );
          break;
        case "undepend":
          await attempt(() =>
            store.removeDependency({ actor: "boss", id: ids[s.task]!, dependsOn: ids[s.dep]! }),
          );
          break;
      }
      await checkInvariants(store);
    }
    // The team works until nobody can claim anything.
    for (let progress = true; progress; ) {
      progress = false;
      clock.advance(TTL + 1);
      for (const agent of AGENTS) {
        const { task } = await store.claimTask({ actor: agent, ttlMs: TTL, handlerOnly: HANDLER_ONLY });
        if (!task) continue;
        await store.completeTask({ actor: agent, id: task.id });
        progress = true;
      }
    }
    await checkInvariants(store);
    for (const task of await store.listTasks({})) {
      const ended = ["done", "failed", "cancelled", "dead"].includes(task.status);
      expect(
        ended || (task.status === "open" && task.blockedBy.length > 0),
        `${task.id} is ${task.status} with nothing to say why: ${JSON.stringify(task)}`,
      ).toBe(true);
    }
    // Every blocked task was announced in the log with its cause.
    const announced = new Set((await store.listEvents({ type: "task.blocked" })).map((e) => e.subject));
    for (const task of (await store.listTasks({})).filter((t) => t.blockedBy.length > 0))
      expect(announced.has(task.id), `${task.id} blocked without a task.blocked event`).toBe(true);
  } finally {
    await store.close();
  }
}

describe("model-based: ready tasks, claims and blocked tasks over random graphs", () => {
  it("list --ready equals what a claim grants, and every task ends or is blocked with a named cause", async () => {
    await fc.assert(
      fc.asyncProperty(
        graph.chain((specs) => fc.tuple(fc.constant(specs), fc.array(step(specs.length), { maxLength: 25 }))),
        async ([specs, steps]) => run(specs, steps),
      ),
      { numRuns: 60 },
    );
  });
});
