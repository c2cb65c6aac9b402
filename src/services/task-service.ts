import { type BatonConfig, queueFor } from "../domain/config.js";
import { parsePrefixedId } from "../domain/human-rules.js";
import { checkCount, checkDuration, checkLength, checkText, optionalText } from "../domain/limits.js";
import { type TaskReport, validateReport } from "../domain/task-report.js";
import {
  parseTaskId,
  validateBody,
  validatePriority,
  validateTags,
  validateTitle,
} from "../domain/task-rules.js";
import {
  type Escalation,
  TASK_STATUSES,
  type Task,
  type TaskDetail,
  type TaskStatus,
} from "../domain/types.js";
import { BatonError, clip } from "../errors.js";
import type { ClaimResult } from "../store/port.js";
import type { HookService } from "./hook-service.js";
import { requireConfiguredHuman } from "./humans.js";
import { validateAgentName } from "./identity.js";
import type { ServiceContext } from "./service-context.js";

export interface AddTaskOptions {
  body?: string;
  queue?: string;
  priority?: number | string;
  tags?: string[];
  after?: string[];
  assign?: string;
  /** The assignee has not joined yet (otherwise an unknown name is refused as a likely typo). */
  assignNew?: boolean;
  /** Its holder must get a plan approved by a human before completing it. */
  planRequired?: boolean;
}

export interface EditTaskChanges {
  title?: string;
  body?: string;
  priority?: number | string;
  addTags?: string[];
  removeTags?: string[];
}

export interface ListTaskOptions {
  /** Statuses to show; `all` for every one. Default: open and claimed. */
  status?: (TaskStatus | "all")[];
  queue?: string;
  ready?: boolean;
  mine?: boolean;
  assignee?: string;
}

export interface ClaimOptions {
  queue?: string;
  tags?: string[];
  ttlMs?: number;
}

function parseStatuses(statuses: (TaskStatus | "all")[] | undefined): TaskStatus[] | undefined {
  if (!statuses || statuses.length === 0) return ["open", "claimed"];
  checkCount("statuses", statuses);
  if (statuses.includes("all")) return undefined;
  for (const status of statuses) {
    if (!TASK_STATUSES.includes(status as TaskStatus)) {
      throw new BatonError(
        "invalid_input",
        `unknown status '${clip(String(status))}'`,
        `use one of: ${TASK_STATUSES.join(", ")}, all`,
      );
    }
  }
  return statuses as TaskStatus[];
}

/** Queue → handler role, for the queues whose claim policy is handler-only. */
function handlerOnlyQueues(config: BatonConfig): Record<string, string> {
  const closed: Record<string, string> = {};
  for (const queue of Object.values(config.queues)) {
    if (queue.claimPolicy === "handler-only" && queue.handler) closed[queue.name] = queue.handler;
  }
  return closed;
}

/** Tasks as users and agents see them: ids as typed, queues by name, TTLs from config. */
export class TaskService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly hooks: HookService,
  ) {}

  private mutation() {
    return { actor: this.ctx.actor(), dryRun: this.ctx.dryRun };
  }

  async add(title: string, options: AddTaskOptions = {}): Promise<Task> {
    const queue = queueFor(this.ctx.config, options.queue);
    const task = await this.ctx.store.addTask({
      ...this.mutation(),
      prefix: queue.prefix,
      queue: queue.name,
      title: validateTitle(title),
      body: validateBody(options.body ?? ""),
      priority: validatePriority(options.priority ?? 2),
      tags: validateTags(options.tags ?? []),
      dependsOn: checkCount("dependencies", options.after ?? []).map(parseTaskId),
      assignee: options.assign === undefined ? null : validateAgentName(options.assign),
      allowUnknownAssignee: options.assignNew,
      handlerOnly: handlerOnlyQueues(this.ctx.config),
      maxAttempts: this.ctx.config.maxAttempts,
      planRequired: options.planRequired,
      slaMs: queue.slaMinutes === null ? null : queue.slaMinutes * 60_000,
    });
    return task;
  }

  async list(options: ListTaskOptions = {}): Promise<Task[]> {
    if (options.queue) queueFor(this.ctx.config, options.queue);
    // --mine needs a name; --ready without one shows what a newcomer could take (unassigned tasks).
    const involving = options.mine
      ? this.ctx.actor()
      : options.assignee
        ? validateAgentName(options.assignee)
        : undefined;
    return this.ctx.store.listTasks({
      status: options.ready ? undefined : parseStatuses(options.status),
      queue: options.queue,
      ready: options.ready,
      readyFor: this.ctx.whoami(),
      handlerOnly: handlerOnlyQueues(this.ctx.config),
      involving,
    });
  }

  async show(id: string): Promise<TaskDetail> {
    return this.ctx.store.getTask({ id: parseTaskId(id) });
  }

  async claim(id?: string, options: ClaimOptions = {}): Promise<ClaimResult> {
    if (options.queue) queueFor(this.ctx.config, options.queue);
    const claim = await this.ctx.store.claimTask({
      ...this.mutation(),
      id: id ? parseTaskId(id) : undefined,
      queue: options.queue,
      tags: validateTags(options.tags ?? []),
      ttlMs: checkDuration("ttl", options.ttlMs ?? this.ctx.config.claimTtlMs),
      handlerOnly: handlerOnlyQueues(this.ctx.config),
    });
    return claim;
  }

  async done(
    id: string,
    options: { result?: string; token?: number; report?: TaskReport } = {},
  ): Promise<Task> {
    const input = {
      ...this.mutation(),
      id: parseTaskId(id),
      token: options.token,
      result: optionalText("result", options.result),
      report: options.report ? checkReport(options.report) : null,
    };
    if (this.ctx.config.hooks.some((hook) => hook.on === "task.completed" && hook.gate) && !this.ctx.dryRun) {
      // Check the claim first (a dry run), so gates never run for a completion that would be refused anyway.
      const wouldBe = await this.ctx.store.completeTask({ ...input, dryRun: true });
      const refusal = await this.hooks.gate("task.completed", {
        type: "task.completed",
        actor: input.actor,
        at: this.ctx.clock.now(),
        task: wouldBe,
      });
      if (refusal) {
        const output = refusal.output.trim().slice(-4000);
        await this.ctx.store.amendTask({
          actor: input.actor,
          id: input.id,
          remark: `Completion turned down: the gate ${refusal.reason}${output ? `\n${output}` : ""}`,
        });
        throw new BatonError(
          "gate_failed",
          `${input.id} stays in progress: the gate ${refusal.reason}`,
          {
            cli: `fix what it reports (its output is a remark: baton task show ${input.id}), then run baton task done again`,
            tool: "fix what it reports (its output is in details.output), then call complete_task again",
          },
          { id: input.id, output },
        );
      }
    }
    const done = await this.ctx.store.completeTask(input);
    return done;
  }

  async fail(id: string, reason: string, options: { token?: number } = {}): Promise<Task> {
    const why = checkText("reason", reason);
    if (!why) {
      throw new BatonError("invalid_input", "a failure needs a reason", {
        cli: 'say what went wrong: --reason "tests fail on CI"',
        tool: "say what went wrong in reason",
      });
    }
    const failed = await this.ctx.store.failTask({
      ...this.mutation(),
      id: parseTaskId(id),
      token: options.token,
      reason: why,
    });
    return failed;
  }

  async release(id: string, options: { token?: number } = {}): Promise<Task> {
    const released = await this.ctx.store.releaseTask({
      ...this.mutation(),
      id: parseTaskId(id),
      token: options.token,
    });
    return released;
  }

  /** `allowUnknown`: the agent has not joined yet (otherwise an unknown name is refused as a likely typo). */
  async assign(id: string, agent: string | null, options: { allowUnknown?: boolean } = {}): Promise<Task> {
    return this.ctx.store.assignTask({
      ...this.mutation(),
      id: parseTaskId(id),
      // Null unassigns; an empty name is a mistake, not a request to unassign.
      assignee: agent === null ? null : validateAgentName(agent),
      allowUnknown: options.allowUnknown,
      handlerOnly: handlerOnlyQueues(this.ctx.config),
    });
  }

  async addDependency(id: string, dependsOn: string): Promise<Task> {
    return this.ctx.store.addDependency({
      ...this.mutation(),
      id: parseTaskId(id),
      dependsOn: parseTaskId(dependsOn),
    });
  }

  async removeDependency(id: string, dependsOn: string): Promise<Task> {
    return this.ctx.store.removeDependency({
      ...this.mutation(),
      id: parseTaskId(id),
      dependsOn: parseTaskId(dependsOn),
    });
  }

  async amend(id: string, remark: string): Promise<TaskDetail> {
    const text = checkText("remark", remark);
    if (!text)
      throw new BatonError("invalid_input", "an empty remark", {
        cli: 'write what changed: baton task amend T-3 "also cover the API"',
        tool: "write what changed",
      });
    return this.ctx.store.amendTask({
      ...this.mutation(),
      id: parseTaskId(id),
      remark: text,
    });
  }

  /** Sends the task, its history and its holder to every human's inbox. */
  async escalate(id: string, reason?: string): Promise<Escalation> {
    const { escalation } = await this.ctx.store.escalateTask({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      id: parseTaskId(id),
      reason: optionalText("reason", reason) ?? "escalated by hand",
    });
    return escalation;
  }

  async escalations(options: { task?: string; open?: boolean } = {}): Promise<Escalation[]> {
    return this.ctx.store.listEscalations({
      task: options.task ? parseTaskId(options.task) : undefined,
      open: options.open,
    });
  }

  /** A human marks an escalation handled, with what they did about it. */
  async resolveEscalation(id: string, note?: string): Promise<Escalation> {
    const seq = parsePrefixedId(id, "E");
    requireConfiguredHuman(this.ctx, `resolve E-${seq}`);
    return this.ctx.store.resolveEscalation({
      ...this.mutation(),
      seq,
      note: optionalText("note", note),
    });
  }

  /** `ifToken`: cancel only if no claim was made since the caller saw the task with this token. */
  async cancel(id: string, reason?: string, options: { ifToken?: number | null } = {}): Promise<Task> {
    return this.ctx.store.cancelTask({
      ...this.mutation(),
      id: parseTaskId(id),
      reason: optionalText("reason", reason),
      ifToken: options.ifToken,
    });
  }

  /** Changes an unfinished task's title, body, priority or tags. */
  async edit(id: string, changes: EditTaskChanges): Promise<Task> {
    return this.ctx.store.editTask({
      ...this.mutation(),
      id: parseTaskId(id),
      title: changes.title === undefined ? undefined : validateTitle(changes.title),
      body: changes.body === undefined ? undefined : validateBody(changes.body),
      priority: changes.priority === undefined ? undefined : validatePriority(changes.priority),
      addTags: validateTags(changes.addTags ?? []),
      removeTags: validateTags(changes.removeTags ?? []),
    });
  }

  /** Puts a finished task back in its queue with its attempts reset; a done one only by a human. */
  async reopen(id: string, reason?: string): Promise<Task> {
    const taskId = parseTaskId(id);
    const current = await this.ctx.store.getTask({ id: taskId });
    const queue = Object.hasOwn(this.ctx.config.queues, current.queue)
      ? this.ctx.config.queues[current.queue]
      : undefined;
    if (!queue) {
      // Its queue was removed since: reopened there, the task would escape the queue's rules (a handler-only role).
      throw new BatonError(
        "invalid_state",
        `${current.id} belongs to the queue '${current.queue}', which no longer exists`,
        {
          cli: `add the queue back first (baton queue add ${current.queue} --prefix ...), or add a new task in another queue`,
          tool: `its queue is gone; ask the human to add the queue '${current.queue}' back, or create a new task`,
        },
        { id: current.id, queue: current.queue },
      );
    }
    const slaMinutes = queue.slaMinutes ?? null;
    return this.ctx.store.reopenTask({
      ...this.mutation(),
      id: taskId,
      reason: reason?.trim() ? validateBody(reason.trim()) : null,
      slaMs: slaMinutes === null ? null : slaMinutes * 60_000,
    });
  }
}

/**
 * A report given through the library or a tool: validated as a file's would be
 * (a shape, trimmed texts) and within its size as JSON.
 */
function checkReport(report: TaskReport): TaskReport {
  const valid = validateReport(report);
  checkLength("report", JSON.stringify(valid));
  return valid;
}
