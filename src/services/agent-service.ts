import { optionalText } from "../domain/limits.js";
import { AGENT_KINDS, type AgentKind, type AgentView } from "../domain/types.js";
import { BatonError, clip } from "../errors.js";
import type { HeartbeatResult, LeaveResult, SweepResult } from "../store/port.js";
import type { ServiceContext } from "./service-context.js";

export function parseKind(kind: string): AgentKind {
  if (!AGENT_KINDS.includes(kind as AgentKind)) {
    throw new BatonError(
      "invalid_input",
      `unknown agent kind '${clip(kind)}'`,
      `use one of: ${AGENT_KINDS.join(", ")}`,
    );
  }
  return kind as AgentKind;
}

export class AgentService {
  constructor(private readonly ctx: ServiceContext) {}

  async join(options: { role?: string; kind?: string } = {}): Promise<AgentView> {
    return this.ctx.store.joinAgent({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      role: options.role === undefined ? undefined : optionalText("role", options.role),
      kind: options.kind === undefined ? undefined : parseKind(options.kind),
    });
  }

  async heartbeat(options: { workingOn?: string } = {}): Promise<HeartbeatResult> {
    return this.ctx.store.heartbeat({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      workingOn: options.workingOn === undefined ? undefined : optionalText("workingOn", options.workingOn),
    });
  }

  async leave(): Promise<LeaveResult> {
    return this.ctx.store.leaveAgent({ actor: this.ctx.actor(), dryRun: this.ctx.dryRun });
  }

  async list(): Promise<AgentView[]> {
    return this.ctx.store.listAgents({
      hungAfterMs: this.ctx.config.hungAfterMs,
      offlineAfterMs: this.ctx.config.offlineAfterMs,
    });
  }

  /** One guardian pass: expire what is due, report agents gone silent while holding work, escalate overdue tasks. */
  async sweep(): Promise<SweepResult> {
    const swept = await this.ctx.store.sweep({
      actor: "guardian",
      dryRun: this.ctx.dryRun,
      hungAfterMs: this.ctx.config.hungAfterMs,
    });
    if (!this.ctx.dryRun) await this.ctx.waker.notify(swept.wake);
    return swept;
  }
}
