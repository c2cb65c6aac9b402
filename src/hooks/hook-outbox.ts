import { createHash } from "node:crypto";
import { hostname } from "node:os";
import type { HookConfig } from "../domain/config.js";
import type { Store } from "../store/port.js";
import { processExists } from "../util/processes.js";
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
  private readonly consumers: Consumer[];

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
        return { name: `hook:${key}:${nth}`, hook, types: [...sourcesOf(hook.on)], again: false };
      });
  }

  get empty(): boolean {
    return this.consumers.length === 0;
  }

  /**
   * Runs everything due; resolves when the outbox is empty. Each hook drains
   * on its own, in the order of its events: one that hangs until its timeout
   * delays only its own next runs, never another hook's (a hostile run found
   * three 30 s hooks on message.sent holding a task.added hook back 90 s).
   * A call while a hook's drain runs joins it and makes it look once more, so
   * nothing committed meanwhile waits for the next drain.
   */
  async drain(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => this.drainOne(consumer)));
  }

  private drainOne(consumer: Consumer): Promise<void> {
    if (consumer.running) {
      consumer.again = true;
      return consumer.running;
    }
    consumer.running = (async () => {
      try {
        do {
          consumer.again = false;
          while (await this.step(consumer)) {
            // until nothing is left
          }
        } while (consumer.again);
      } finally {
        consumer.running = undefined;
      }
    })();
    return consumer.running;
  }

  /** One take of a hook's events and their runs; false when there was nothing to take. */
  private async step(consumer: Consumer): Promise<boolean> {
    const startAfter = await this.startAfter();
    const consumers = [{ name: consumer.name, types: consumer.types, startAfter }];
    const retry = await this.orphans(consumer);
    if (retry.length === 0 && !(await this.store.outboxPending({ consumers }))) return false;
    const { deliveries } = await this.store.takeOutbox({
      actor: "baton",
      consumers,
      runner: RUNNER,
      limit: TAKE,
      retry,
    });
    for (const delivery of deliveries) {
      await this.run(consumer.hook, delivery.event);
      await this.store.finishOutbox({ actor: "baton", seq: delivery.event.seq, consumer: consumer.name });
    }
    return deliveries.length > 0;
  }

  /** The hook's deliveries left unfinished by a process of this machine that is gone. */
  private async orphans(consumer: Consumer): Promise<{ seq: number; consumer: string; runner: string }[]> {
    const unfinished = await this.store.listUnfinishedOutbox({ consumers: [consumer.name] });
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

interface Consumer {
  name: string;
  hook: HookConfig;
  types: string[];
  running?: Promise<void>;
  again: boolean;
}

/** Whether the runner `host:pid` is a process of this machine that no longer exists. */
export function runnerIsGone(runner: string): boolean {
  const at = runner.lastIndexOf(":");
  if (runner.slice(0, at) !== hostname()) return false; // another machine's: not ours to judge
  const pid = Number(runner.slice(at + 1));
  return !Number.isSafeInteger(pid) || pid <= 0 || !processExists(pid);
}
