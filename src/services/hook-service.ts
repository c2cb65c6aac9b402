import { describeOutcome, type HookOutcome, runHook, succeeded } from "../hooks/run-hook.js";
import type { ServiceContext } from "./service-context.js";

export interface HookEvent {
  type: string;
  actor: string;
  at: number;
  [key: string]: unknown;
}

/**
 * Runs the configured hooks. Gates run before a completion is committed and can
 * turn it down; the others run after the change is committed and can only
 * report. Nothing runs on --dry-run. Each hook is awaited at most its timeout
 * plus a second, and none leaves a process behind (see runHook).
 */
export class HookService {
  constructor(private readonly ctx: ServiceContext) {}

  has(type: string): boolean {
    return this.ctx.config.hooks.some((hook) => hook.on === type);
  }

  /** Runs the gates on `type`; returns the refusal of the first that fails, or null when all pass. */
  async gate(type: string, event: HookEvent): Promise<{ reason: string; output: string } | null> {
    if (this.ctx.dryRun) return null;
    for (const hook of this.ctx.config.hooks.filter((h) => h.on === type && h.gate)) {
      const outcome = await runHook(hook.run, event, { cwd: this.ctx.root, timeoutMs: hook.timeoutMs });
      if (!succeeded(outcome)) return { reason: describeOutcome(outcome), output: outcome.output };
      await this.noteLeftovers(type, event, outcome);
    }
    return null;
  }

  /** Runs the non-gate hooks on `type` after the change is committed; a failure is logged, never thrown. */
  async fire(type: string, event: HookEvent): Promise<void> {
    if (this.ctx.dryRun) return;
    for (const hook of this.ctx.config.hooks.filter((h) => h.on === type && !h.gate)) {
      const outcome = await runHook(hook.run, event, { cwd: this.ctx.root, timeoutMs: hook.timeoutMs });
      if (succeeded(outcome)) {
        await this.noteLeftovers(type, event, outcome);
        continue;
      }
      await this.ctx.store.appendEvent({
        actor: event.actor,
        type: "hook.failed",
        subject: type,
        summary: `hook on ${type}: ${describeOutcome(outcome)}`,
        data: {
          argv: hook.run,
          code: outcome.code,
          timedOut: outcome.timedOut,
          leftovers: outcome.leftovers,
          output: outcome.output.slice(-2000),
        },
      });
    }
  }

  /** A hook that passed but left processes running, which were ended: said in the log, so it is not a mystery. */
  private async noteLeftovers(type: string, event: HookEvent, outcome: HookOutcome): Promise<void> {
    if (outcome.leftovers === 0) return;
    await this.ctx.store.appendEvent({
      actor: event.actor,
      type: "hook.leftovers",
      subject: type,
      summary: `hook on ${type}: \`${outcome.argv.join(" ")}\` left ${outcome.leftovers} process${outcome.leftovers === 1 ? "" : "es"} running, which were stopped`,
      data: { argv: outcome.argv, leftovers: outcome.leftovers },
    });
  }
}
