import { noteHookLeftovers } from "../hooks/hook-notes.js";
import { describeOutcome, runHook, succeeded } from "../hooks/run-hook.js";
import type { ServiceContext } from "./service-context.js";

export interface HookEvent {
  type: string;
  actor: string;
  at: number;
  [key: string]: unknown;
}

/**
 * Runs the gates: hooks that decide before a completion is committed and can
 * turn it down. The other hooks run after commit, from the event log
 * (hooks/hook-outbox.ts). Nothing runs on --dry-run. Each hook is awaited at
 * most its timeout plus a second, and none leaves a process behind (runHook).
 */
export class HookService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Runs the gates on `type`; returns the refusal of the first that fails, or null when all pass. */
  async gate(type: string, event: HookEvent): Promise<{ reason: string; output: string } | null> {
    if (this.ctx.dryRun) return null;
    for (const hook of this.ctx.config.hooks.filter((h) => h.on === type && h.gate)) {
      const outcome = await runHook(hook.run, event, { cwd: this.ctx.root, timeoutMs: hook.timeoutMs });
      if (!succeeded(outcome)) return { reason: describeOutcome(outcome), output: outcome.output };
      await noteHookLeftovers(this.ctx.store, type, event.actor, outcome);
    }
    return null;
  }
}
