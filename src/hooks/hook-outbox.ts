import { createHash } from "node:crypto";
import { hostname } from "node:os";
import type { HookConfig } from "../domain/config.js";
import type { Store } from "../store/port.js";
import { noteHookFailure, noteHookLeftovers } from "./hook-notes.js";
import { hookPayload, sourcesOf } from "./hook-payload.js";
import { runHook, succeeded } from "./run-hook.js";

/** Events taken per consumer per look: a long backlog is worked through in steps. */
const TAKE = 50;

/** This process, as a runner of deliveries: a delivery whose runner is gone is taken again. */
const RUNNER = `${hostname()}:${process.pid}`;

/**
 * Runs the configured (non-gate) hooks from the event log, after commit:
 * each hook is an outbox consumer with its own durable cursor, so a hook runs
 * once per event whichever process committed it, even one that died right
 * after its commit (the next process to drain runs it). Gates stay
 * synchronous: they decide before the change (services/hook-service.ts).
 *
 * Exactly once: an event is taken for a hook in the transaction that moves
 * the hook's cursor, so two processes draining together never both take it.
 * A runner that dies while its hook runs leaves the delivery unfinished; the
 * next drain on this machine sees its process gone and runs it again (at
 * least once in that one case, which a hook cannot tell from a retry anyway).
 *
 * A hook added to the config runs for events from the moment a process with
 * that config first opened the store (`startAfter`), never for the past.
 */
export class HookOutbox {
  private readonly consumers: { name: string; hook: HookConfig; types: string[] }[];
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly store: Store,
    hooks: readonly HookConfig[],
    private readonly root: string,
    /** The last event when this process opened the store: where a new hook starts. */
    private readonly startAfter: () => Promise<number>,
  ) {
    const seen = new Map<string, number>();
    this.consumers = hooks
      .filter((hook) => !hook.gate)
      .map((hook) => {
        const key = createHash("sha256")
          .update(JSON.stringify([hook.on, hook.run, hook.timeoutMs]))
          .digest("hex")
          .slice(0, 16);
        const nth = (seen.get(key) ?? 0) + 1; // the same hook twice runs twice
        seen.set(key, nth);
        return { name: `hook:${key}:${nth}`, hook, types: [...sourcesOf(hook.on)] };
      });
  }

  get empty(): boolean {
    return this.consumers.length === 0;
  }

  /**
   * Runs everything due; resolves when the outbox is empty. Calls while a
   * drain runs join it and make it look once more, so nothing committed
   * meanwhile waits for the next drain.
   */
  drain(): Promise<void> {
    if (this.empty) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while (await this.step()) {
            // until nothing is left
          }
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** One take and its runs; false when there was nothing to take. */
  private async step(): Promise<boolean> {
    const startAfter = await this.startAfter();
    const consumers = this.consumers.map(({ name, types }) => ({ name, types, startAfter }));
    const retry = await this.orphans();
    if (retry.length === 0 && !(await this.store.outboxPending({ consumers }))) return false;
    const { deliveries } = await this.store.takeOutbox({
      actor: "baton",
      consumers,
      runner: RUNNER,
      limit: TAKE,
      retry,
    });
    for (const delivery of deliveries) {
      const consumer = this.consumers.find((c) => c.name === delivery.consumer);
      if (consumer) await this.run(consumer.hook, delivery.event);
      await this.store.finishOutbox({ actor: "baton", seq: delivery.event.seq, consumer: delivery.consumer });
    }
    return deliveries.length > 0;
  }

  /** Deliveries left unfinished by a process of this machine that is gone. */
  private async orphans(): Promise<{ seq: number; consumer: string; runner: string }[]> {
    const unfinished = await this.store.listUnfinishedOutbox({
      consumers: this.consumers.map((c) => c.name),
    });
    return unfinished.filter((d) => d.runner !== RUNNER && runnerIsGone(d.runner));
  }

  private async run(hook: HookConfig, event: Parameters<typeof hookPayload>[2]): Promise<void> {
    const payload = await hookPayload(this.store, hook.on, event);
    if (!payload) return;
    const outcome = await runHook(hook.run, payload, { cwd: this.root, timeoutMs: hook.timeoutMs });
    if (succeeded(outcome)) await noteHookLeftovers(this.store, hook.on, event.actor, outcome);
    else await noteHookFailure(this.store, hook.on, event.actor, outcome);
  }
}

/** Whether the runner `host:pid` is a process of this machine that no longer exists. */
function runnerIsGone(runner: string): boolean {
  const at = runner.lastIndexOf(":");
  if (runner.slice(0, at) !== hostname()) return false; // another machine's: not ours to judge
  const pid = Number(runner.slice(at + 1));
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
