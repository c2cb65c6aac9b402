import { describeRule, permissionSubject, permissionVerdict } from "../../domain/permission-rules.js";
import type { Approval } from "../../domain/types.js";
import { clip } from "../../errors.js";
import type { Workspace } from "../../services/workspace.js";
import { oneLine } from "../../util/control-chars.js";
import { formatDuration } from "../../util/duration.js";

/** A headless agent's request to use a tool, with where it came from. */
export interface PermissionAsk {
  tool: string;
  input: Record<string, unknown>;
  toolUseId: string;
  sessionId: string | undefined;
  /** The user turn of the run it belongs to (1: the task's prompt); 0 when the host does not say (interactive). */
  turn: number;
}

export type PermissionDecision =
  | { behavior: "allow"; input: Record<string, unknown> }
  /** `interrupt`: stop the run as well (the request timed out: asking again would only wait again). */
  | { behavior: "deny"; message: string; interrupt: boolean };

/** Whether an approval is one of `agent`'s permission requests (kind permission, which the broker asks). */
export function isPermissionApproval(approval: Approval, agent: string): boolean {
  return approval.requestedBy === agent && approval.kind === "permission";
}

/**
 * How often a waiting request looks whether its run has ended. The decision
 * itself wakes the wait at once (the store's notifications); this only bounds
 * how long an approval of a finished run stays open before it is expired.
 */
const RUN_CHECK_MS = 1000;

/**
 * How long after the broker's own deadline the store expires an approval it
 * left pending: the broker expires it itself at its deadline (and interrupts
 * the run); the store's deadline is for a broker that was killed (-9) and
 * never did, so a late approval there is refused instead of approving nothing.
 */
const STORE_MARGIN_MS = 60_000;

/** A tool's name as hosts give it (Bash, mcp__server__tool): one short line a human can be shown. */
const TOOL_NAME = /^[A-Za-z0-9_.:@/-]{1,200}$/;

/** An id the host gave (session, tool call): one line, bounded, before it goes into an approval's plan. */
function idText(value: string | undefined): string | undefined {
  return value === undefined ? undefined : oneLine(clip(value, 200));
}

/**
 * Answers one run's permission requests: the config's rules first, at once;
 * otherwise a baton approval that a human decides, waited for up to the
 * configured time. A request nobody decided in time is denied and the run
 * interrupted; an approval still open when its run ends is expired, so a
 * late `baton approve` is refused instead of approving nothing.
 */
export class PermissionBroker {
  private ended = false;
  private interrupted: string | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Approvals this run asked for, in order. */
  readonly approvals: string[] = [];

  constructor(
    private readonly ws: Workspace,
    private readonly run: { host: string; task: string | null },
  ) {}

  /** The approval that timed out and stopped the run, if one did. */
  get timedOut(): string | undefined {
    return this.interrupted;
  }

  decide(ask: PermissionAsk): Promise<PermissionDecision> {
    const pending = this.decideNow(ask);
    this.inFlight.add(pending);
    void pending.finally(() => this.inFlight.delete(pending)).catch(() => undefined);
    return pending;
  }

  /** The run is over: every request still waiting expires its approval; waits until they have. */
  async end(): Promise<void> {
    this.ended = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private async decideNow(asked: PermissionAsk): Promise<PermissionDecision> {
    const { ws } = this;
    // What a human is shown must be what runs: a tool name with a newline could forge the plan's
    // lines (agent:, host:), and one of megabytes left the hook unable to answer at all.
    if (!TOOL_NAME.test(asked.tool))
      return this.deny(
        `baton refuses a tool name it cannot show a human (${JSON.stringify(clip(asked.tool, 60))})`,
        false,
      );
    const ask = {
      ...asked,
      toolUseId: idText(asked.toolUseId) ?? "unknown",
      sessionId: idText(asked.sessionId),
    };
    const about = this.describe(ask);
    if (this.interrupted || this.ended)
      return this.deny(
        `the run is being stopped (${this.interrupted ?? "it ended"}): nothing more runs`,
        true,
      );
    const verdict = permissionVerdict(ws.config.permissions, ask.tool, ask.input);
    if (verdict) {
      await this.log(`${verdict.behavior === "allow" ? "allowed" : "denied"} by rule: ${about.action}`, ask, {
        decision: verdict.behavior,
        by: "config",
        rule: describeRule(verdict.rule),
      });
      return verdict.behavior === "allow"
        ? { behavior: "allow", input: ask.input }
        : this.deny(
            `Denied by the team's rule in .baton/config.json (permissions.deny: ${describeRule(verdict.rule)}).`,
            false,
          );
    }
    let approval: Approval;
    try {
      approval = await ws.human.requestApproval(about.action, {
        plan: about.plan,
        ...(this.run.task ? { task: this.run.task } : {}),
        kind: "permission",
        ttlMs: ws.config.permissions.approvalTimeoutMs + STORE_MARGIN_MS,
      });
    } catch (error) {
      return this.deny(`baton could not ask a human: ${(error as Error).message}`, false);
    }
    this.approvals.push(approval.id);
    await this.log(`asks ${approval.id}: ${about.action}`, ask, { decision: "asked", approval: approval.id });
    const timeoutMs = ws.config.permissions.approvalTimeoutMs;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const left = deadline - performance.now();
      if (this.ended) {
        await this.expire(approval, "its run ended before a human decided");
        return this.deny(`${approval.id} was not decided before the run ended`, false);
      }
      if (left <= 0) {
        const why = `no decision within ${formatDuration(timeoutMs)}: the tool was denied and the run stopped`;
        const after = await this.expire(approval, why);
        // A human who decided in the last moment is heard: the record says what happened.
        if (after && after.status !== "pending" && after.status !== "expired")
          return this.decided(after, ask, about.action);
        this.interrupted = `${approval.id} timed out`;
        await this.log(`${approval.id} timed out: ${about.action}`, ask, {
          decision: "deny",
          by: "timeout",
          approval: approval.id,
        });
        return this.deny(`${approval.id} got ${why}.`, true);
      }
      const now = await ws.human.waitForDecision(approval.id, Math.min(left, RUN_CHECK_MS));
      if (now.status === "pending") continue;
      return this.decided(now, ask, about.action);
    }
  }

  /** A decision the store holds, logged and turned into the host's answer. */
  private async decided(now: Approval, ask: PermissionAsk, action: string): Promise<PermissionDecision> {
    await this.log(`${now.id} ${now.status} by ${now.decidedBy}: ${action}`, ask, {
      decision: now.status === "approved" ? "allow" : "deny",
      by: now.decidedBy,
      approval: now.id,
    });
    if (now.status === "approved") return { behavior: "allow", input: ask.input };
    return this.deny(
      `${now.id} was ${now.status} by ${now.decidedBy}${now.note ? `: ${now.note}` : ""}`,
      false,
    );
  }

  private deny(message: string, interrupt: boolean): PermissionDecision {
    return { behavior: "deny", message, interrupt };
  }

  /** Withdraws the request; returns the approval as the store holds it then (decided meanwhile, or expired). */
  private async expire(approval: Approval, note: string): Promise<Approval | undefined> {
    return this.ws.human.expire(approval.id, note).catch(() => undefined);
  }

  /** The approval's text: what a human reads in `baton approvals` to decide. */
  private describe(ask: PermissionAsk): { action: string; plan: string } {
    const me = this.ws.identity!;
    const action = `${me} (${this.run.host}${this.run.task ? `, ${this.run.task}` : ""}) asks to use ${ask.tool}: ${clip(permissionSubject(ask.input), 300)}`;
    const plan = [
      `agent: ${me}`,
      `host: ${this.run.host}`,
      `task: ${this.run.task ?? "none"}`,
      `session: ${ask.sessionId ?? "unknown"}`,
      `turn: ${ask.turn || "the current one"}`,
      `tool_use_id: ${ask.toolUseId}`,
      `tool: ${ask.tool}`,
      `input: ${clip(JSON.stringify(ask.input, null, 2), 8000)}`,
      "",
      `Approve to let it run once; reject with a reason and the agent reads the reason. With no decision`,
      `within ${formatDuration(this.ws.config.permissions.approvalTimeoutMs)} the tool is denied and the run stopped.`,
    ].join("\n");
    return { action, plan };
  }

  private async log(summary: string, ask: PermissionAsk, data: Record<string, unknown>): Promise<void> {
    await this.ws.log
      .record(
        "work.permission",
        `${this.ws.identity} ${summary}`,
        {
          task: this.run.task,
          host: this.run.host,
          session: ask.sessionId ?? null,
          turn: ask.turn,
          toolUseId: ask.toolUseId,
          tool: ask.tool,
          ...data,
        },
        { subject: this.run.task ?? this.ws.identity! },
      )
      .catch(() => undefined);
  }
}
