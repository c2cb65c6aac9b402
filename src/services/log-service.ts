import { checkLength, checkText, checkWhole } from "../domain/limits.js";
import type { BatonEvent } from "../domain/types.js";
import { BatonError, clip } from "../errors.js";
import type { ListEventsInput } from "../store/port.js";
import type { ServiceContext } from "./service-context.js";

const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/** Event types baton writes itself; nobody may append one by hand. */
export const RESERVED_EVENT_PREFIXES = [
  "agent",
  "approval",
  "channel",
  "device",
  "escalation",
  "hook",
  "hub",
  "key",
  "lease",
  "message",
  "messages",
  "pairing",
  "question",
  "summary",
  "task",
  // The orchestrator's: a team's restarts and stops (supervisor), headless runs (baton work).
  "team",
  "work",
] as const;

export class LogService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(filter: ListEventsInput = {}): Promise<BatonEvent[]> {
    if (filter.limit !== undefined) checkWhole("limit", filter.limit);
    return this.ctx.store.listEvents(filter);
  }

  /**
   * Records a decision or note; `type` is free but dotted lowercase, e.g.
   * `decision` or `design.api`, and not one of baton's own (a forged
   * `task.added` or `approval.approved` would run hooks and tell every live
   * view of a change that never happened).
   */
  async write(type: string, summary: string, data?: Record<string, unknown>): Promise<BatonEvent> {
    if (typeof type !== "string" || type.length > 64 || !EVENT_TYPE.test(type)) {
      throw new BatonError(
        "invalid_input",
        `bad event type '${clip(String(type))}'`,
        "use up to 64 lowercase letters, digits and _, in words joined by dots, e.g. decision or design.api",
      );
    }
    const reserved = RESERVED_EVENT_PREFIXES.find(
      (prefix) => type === prefix || type.startsWith(`${prefix}.`),
    );
    if (reserved) {
      throw new BatonError(
        "invalid_input",
        `'${type}' is one of baton's own event types: only baton writes ${reserved}.* events`,
        {
          cli: 'record what you decided as decision (baton log write decision "...") or a type of your own, e.g. design.api',
          tool: "record it as a decision (log_decision)",
        },
      );
    }
    const text = checkText("logSummary", summary);
    if (data !== undefined) checkLength("logData", JSON.stringify(data) ?? "");
    if (!text)
      throw new BatonError("invalid_input", "an empty summary", {
        cli: 'say what was decided: baton log write decision "use SQLite"',
        tool: "say what was decided in decision",
      });
    return this.ctx.store.appendEvent({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      type,
      summary: text,
      data,
    });
  }

  /**
   * Records one of baton's own events (the orchestrator's team.* and work.*),
   * which `write` refuses to anyone: only baton's code calls this, never a
   * face an agent can reach.
   */
  async record(
    type: `team.${string}` | `work.${string}`,
    summary: string,
    data: Record<string, unknown>,
    options: { subject?: string; byGuardian?: boolean } = {},
  ): Promise<BatonEvent> {
    return this.ctx.store.appendEvent({
      // The supervisor acts as baton's guardian, a name no agent can take.
      actor: options.byGuardian ? "guardian" : this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      type,
      summary: checkText("logSummary", summary),
      subject: options.subject ?? null,
      data,
    });
  }
}
