import { checkText, optionalText } from "../domain/limits.js";
import {
  ACTIVITY_STATES,
  type ActivityState,
  AGENT_KINDS,
  type Agent,
  type AgentKind,
  type AgentView,
} from "../domain/types.js";
import { BatonError, clip } from "../errors.js";
import type { HeartbeatResult, LeaveResult, RemoveAgentResult, SweepResult } from "../store/port.js";
import { requireConfiguredHuman } from "./humans.js";
import { validateAgentName } from "./identity.js";
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

  /** `automatic`: a program joins on start (see JoinAgentInput); a join by hand declares a new name meant. */
  async join(options: { role?: string; kind?: string; automatic?: boolean } = {}): Promise<AgentView> {
    // Only the committed config makes a person: an agent's shell cannot join (or promote itself) as one.
    if (options.kind !== undefined && parseKind(options.kind) === "human")
      requireConfiguredHuman(this.ctx, "join as a human");
    return this.ctx.store.joinAgent({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      role: options.role === undefined ? undefined : optionalText("role", options.role),
      kind: options.kind === undefined ? undefined : parseKind(options.kind),
      automatic: options.automatic,
    });
  }

  /**
   * Renews what the agent holds and reports, once, what was taken from it since
   * its last heartbeat. `keepLosses`: report them but leave them for the next
   * heartbeat, for a caller that cannot pass them on to the agent.
   */
  async heartbeat(options: { workingOn?: string; keepLosses?: boolean } = {}): Promise<HeartbeatResult> {
    return this.ctx.store.heartbeat({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      workingOn: options.workingOn === undefined ? undefined : optionalText("workingOn", options.workingOn),
      keepLosses: options.keepLosses,
    });
  }

  /** Records what this agent is doing and which signal said so (a host hook, the supervisor). */
  async reportActivity(state: ActivityState, signal: string, detail?: string): Promise<Agent> {
    if (!ACTIVITY_STATES.includes(state))
      throw new BatonError(
        "invalid_input",
        `'${clip(String(state))}' is not an activity`,
        `use one of: ${ACTIVITY_STATES.join(", ")}`,
      );
    return this.ctx.store.reportActivity({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      state,
      signal: checkText("signal", signal) || "unknown",
      detail: optionalText("activityDetail", detail),
    });
  }

  /** Takes an agent off the team; see Store.removeAgent. */
  async remove(name: string, options: { force?: boolean } = {}): Promise<RemoveAgentResult> {
    return this.ctx.store.removeAgent({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      name: validateAgentName(name),
      force: options.force,
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

  /** The caller's own record; undefined without an identity or before it has joined. */
  async me(): Promise<AgentView | undefined> {
    const name = this.ctx.whoami();
    return name === undefined ? undefined : (await this.list()).find((agent) => agent.name === name);
  }

  /** One guardian pass: expire what is due, report agents gone silent while holding work, escalate overdue tasks. */
  async sweep(): Promise<SweepResult> {
    const swept = await this.ctx.store.sweep({
      actor: "guardian",
      dryRun: this.ctx.dryRun,
      hungAfterMs: this.ctx.config.hungAfterMs,
    });
    return swept;
  }
}
