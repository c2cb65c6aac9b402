import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { BatonError } from "../src/errors.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { tempDir } from "./helpers/temp-repo.js";

/**
 * Model-based test: random sequences of claims, completions, failures,
 * releases, heartbeats, locks, unlocks and clock moves run against the real
 * SQLite store and against a few lines of plain model; after every step their
 * answers and states must agree, and the promises must hold, including that a
 * heartbeat reports each claim and lease its agent lost since the last one.
 */

const TTL = 1000;
const MAX_ATTEMPTS = 2;
const AGENTS = ["a", "b", "c"] as const;
const TASKS = ["T-1", "T-2"] as const;
const PATHS = ["x.ts", "y.ts"] as const;

type Agent = (typeof AGENTS)[number];
type TokenMode = "none" | "current" | "stale";
type Action =
  | { kind: "claim"; agent: Agent; id: string | null }
  | { kind: "complete" | "fail" | "release"; agent: Agent; id: string; token: TokenMode }
  | { kind: "heartbeat"; agent: Agent }
  | { kind: "lock" | "unlock"; agent: Agent; path: string }
  | { kind: "advance"; ms: number };

interface ModelTask {
  status: string;
  holder: string | null;
  token: number | null;
  expiresAt: number;
  attempts: number;
}

/** A fresh grant's token is the store's to choose; the model only requires it to exceed every earlier one. */
const PENDING = -1;

class Model {
  now = 0;
  maxToken = 0;
  tasks = new Map<string, ModelTask>(
    TASKS.map((id) => [id, { status: "open", holder: null, token: null, expiresAt: 0, attempts: 0 }]),
  );
  leases = new Map<string, { holder: string; token: number; expiresAt: number }>();
  /** What each agent lost to an expiry since its last heartbeat: its next heartbeat must report exactly these. */
  losses = new Map<string, string[]>();

  private lose(agent: string, what: string): void {
    this.losses.set(agent, [...(this.losses.get(agent) ?? []), what]);
  }

  /** The losses a heartbeat by `agent` reports now, once. */
  takeLosses(agent: string): string[] {
    const lost = this.losses.get(agent) ?? [];
    this.losses.delete(agent);
    return lost.sort();
  }

  /** Learns the token of a fresh grant (promise 1: larger than any before), or checks a known one. */
  settle(entry: { token: number | null }, actual: number): void {
    if (entry.token === PENDING) {
      expect(actual).toBeGreaterThan(this.maxToken);
      this.maxToken = actual;
      entry.token = actual;
    }
    expect(actual).toBe(entry.token);
  }

  sweep(): void {
    for (const [id, task] of this.tasks) {
      if (task.status === "claimed" && task.expiresAt <= this.now) {
        this.lose(task.holder!, `task ${id}`);
        task.attempts++;
        task.status = task.attempts >= MAX_ATTEMPTS ? "dead" : "open";
        task.holder = null;
      }
    }
    for (const [path, lease] of this.leases) {
      if (lease.expiresAt > this.now) continue;
      this.lose(lease.holder, `lease ${path}`);
      this.leases.delete(path);
    }
  }

  /** What the store should answer: "ok", "none" (nothing to claim) or an error code. */
  apply(action: Action, tokenFor: (id: string, mode: TokenMode) => number | undefined): string {
    this.sweep();
    switch (action.kind) {
      case "advance":
        this.now += action.ms;
        return "ok";
      case "claim": {
        const id = action.id ?? TASKS.find((t) => this.tasks.get(t)!.status === "open");
        if (!id) return "none";
        const task = this.tasks.get(id)!;
        if (task.status === "claimed" && task.holder === action.agent) {
          task.expiresAt = this.now + TTL;
          return "ok";
        }
        if (task.status === "claimed") return "conflict";
        if (task.status !== "open") return "invalid_state";
        Object.assign(task, {
          status: "claimed",
          holder: action.agent,
          token: PENDING,
          expiresAt: this.now + TTL,
        });
        return "ok";
      }
      case "complete":
      case "fail":
      case "release": {
        const task = this.tasks.get(action.id)!;
        const token = tokenFor(action.id, action.token);
        const held =
          task.status === "claimed" &&
          (token !== undefined ? token === task.token : task.holder === action.agent);
        if (!held) return "lease_lost";
        task.holder = null;
        if (action.kind === "complete") task.status = "done";
        if (action.kind === "release") task.status = "open";
        if (action.kind === "fail") {
          task.attempts++;
          task.status = task.attempts >= MAX_ATTEMPTS ? "failed" : "open";
        }
        return "ok";
      }
      case "heartbeat":
        for (const task of this.tasks.values()) {
          if (task.status === "claimed" && task.holder === action.agent) task.expiresAt = this.now + TTL;
        }
        for (const lease of this.leases.values())
          if (lease.holder === action.agent) lease.expiresAt = this.now + TTL;
        return "ok";
      case "lock": {
        const lease = this.leases.get(action.path);
        if (lease && lease.holder !== action.agent) return "conflict";
        if (lease) lease.expiresAt = this.now + TTL;
        else
          this.leases.set(action.path, {
            holder: action.agent,
            token: PENDING,
            expiresAt: this.now + TTL,
          });
        return "ok";
      }
      case "unlock": {
        const lease = this.leases.get(action.path);
        if (!lease || lease.holder !== action.agent) return "lease_lost";
        this.leases.delete(action.path);
        return "ok";
      }
    }
  }
}

const agent = fc.constantFrom(...AGENTS);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("claim" as const), agent, id: fc.constantFrom(null, ...TASKS) }),
  fc.record({
    kind: fc.constantFrom("complete" as const, "fail" as const, "release" as const),
    agent,
    id: fc.constantFrom(...TASKS),
    token: fc.constantFrom<TokenMode>("none", "current", "stale"),
  }),
  fc.record({ kind: fc.constant("heartbeat" as const), agent }),
  fc.record({
    kind: fc.constantFrom("lock" as const, "unlock" as const),
    agent,
    path: fc.constantFrom(...PATHS),
  }),
  fc.record({ kind: fc.constant("advance" as const), ms: fc.constantFrom(1, 300, 999, 1000, 1500) }),
);

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    const result = (await run()) as { task?: unknown; conflicts?: unknown[] } | undefined;
    if (result && "task" in result && result.task === null) return "none";
    if (result && Array.isArray(result.conflicts) && result.conflicts.length > 0) return "conflict";
    return "ok";
  } catch (error) {
    if (error instanceof BatonError) return error.code;
    throw error;
  }
}

describe("model-based: claims, leases, renewals, expiry and completion", () => {
  it("the SQLite store agrees with the model and keeps the promises", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 40 }), async (actions) => {
        const clock = new ManualClock(0);
        const store = new SqliteStore({ path: join(tempDir(), "model.db"), clock });
        const model = new Model();
        try {
          for (const id of TASKS) {
            await store.addTask({
              actor: "lead",
              prefix: "T",
              queue: "tasks",
              title: id,
              maxAttempts: MAX_ATTEMPTS,
            });
          }
          // The token a caller would pass: the one it believes current, or an older one.
          const tokenFor = (id: string, mode: TokenMode) => {
            const current = model.tasks.get(id)!.token;
            if (mode === "none" || current === null) return undefined;
            return mode === "current" ? current : current - 1;
          };
          for (const step of actions) {
            const token =
              step.kind === "complete" || step.kind === "fail" || step.kind === "release"
                ? tokenFor(step.id, step.token)
                : undefined;
            const expected = model.apply(step, tokenFor);
            const expectedLosses = step.kind === "heartbeat" ? model.takeLosses(step.agent) : [];
            const actual = await outcome(async () => {
              switch (step.kind) {
                case "advance":
                  return clock.advance(step.ms);
                case "claim":
                  return store.claimTask({ actor: step.agent, id: step.id ?? undefined, ttlMs: TTL });
                case "complete":
                  return store.completeTask({ actor: step.agent, id: step.id, token });
                case "fail":
                  return store.failTask({ actor: step.agent, id: step.id, token, reason: "model" });
                case "release":
                  return store.releaseTask({ actor: step.agent, id: step.id, token });
                case "heartbeat": {
                  // Promise 2 for the holder: every expiry since its last heartbeat, whoever swept it, once.
                  const beat = await store.heartbeat({ actor: step.agent });
                  expect(
                    beat.lost.map((l) => `${l.kind} ${l.subject}`).sort(),
                    "heartbeat reports losses",
                  ).toEqual(expectedLosses);
                  return beat;
                }
                case "lock":
                  return store.acquireLeases({
                    actor: step.agent,
                    paths: [step.path],
                    exclusive: true,
                    ttlMs: TTL,
                  });
                case "unlock":
                  return store.releaseLeases({ actor: step.agent, paths: [step.path] });
              }
            });
            expect(actual, JSON.stringify(step)).toBe(expected);

            model.sweep();
            const tasks = await store.listTasks({});
            for (const task of tasks) {
              const m = model.tasks.get(task.id)!;
              expect({ status: task.status, holder: task.holder, attempts: task.attempts }).toEqual({
                status: m.status,
                holder: m.holder,
                attempts: m.attempts,
              });
              if (task.status === "claimed") model.settle(m, task.token!);
            }
            const leases = await store.listLeases({});
            expect(leases.map((l) => [l.path, l.holder])).toEqual(
              [...model.leases].sort(([a], [b]) => a.localeCompare(b)).map(([path, l]) => [path, l.holder]),
            );
            for (const lease of leases) model.settle(model.leases.get(lease.path)!, lease.token);
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
