import { type BatonConfig, type ClaimPolicy, type QueueConfig, queueFor } from "../domain/config.js";
import { isFinal } from "../domain/task-rules.js";
import { TASK_STATUSES, type Task, type TaskStatus } from "../domain/types.js";
import { BatonError } from "../errors.js";
import type { ConfigEdit } from "../workspace/config-edit.js";
import type { ServiceContext } from "./service-context.js";

/** What `queue add` and `queue edit` set; a field left out stays as it is (or takes its default). */
export interface QueueSettings {
  prefix?: string;
  /** The role that handles the queue; null: none. */
  handler?: string | null;
  /** How soon a task should be done once added; null: no SLA. */
  slaMs?: number | null;
  claimPolicy?: ClaimPolicy;
  /** Make it the queue `baton task add` uses when none is named. */
  makeDefault?: boolean;
}

export interface QueueChange {
  queue: QueueConfig;
  defaultQueue: string;
  /** False when the config already said so (nothing was written). */
  changed: boolean;
}

type ConfigEditModule = typeof import("../workspace/config-edit.js");

/** A handler is a role, compared with agents' roles: one word of the kind agents' names are. */
const ROLE = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

function checkSettings(settings: QueueSettings): void {
  if (typeof settings.handler === "string" && !ROLE.test(settings.handler)) {
    throw new BatonError(
      "invalid_input",
      `'${settings.handler}' is not a role name`,
      "a role is up to 64 letters, digits and _ . @ -, e.g. reviewer",
    );
  }
}

/** The JSON a queue is written as, in the order the default config uses. */
function queueJson(queue: QueueConfig): Record<string, unknown> {
  return {
    prefix: queue.prefix,
    handler: queue.handler,
    sla_minutes: queue.slaMinutes,
    claim_policy: queue.claimPolicy,
  };
}

export interface QueueReport {
  queue: string;
  prefix: string;
  handler: string | null;
  slaMinutes: number | null;
  claimPolicy: string;
  counts: Record<TaskStatus, number>;
  /** Unfinished tasks past their due time, most overdue first. */
  overdue: Task[];
}

export interface Blocker {
  task: Task;
  /** The unfinished dependencies it waits on. */
  waitingOn: { id: string; status: TaskStatus; holder: string | null; title: string }[];
}

/** Queues as the team's rules describe them (mai-cli's model): handler role, SLA, claim policy. */
export class QueueService {
  constructor(private readonly ctx: ServiceContext) {}

  async check(options: { queue?: string; overdueOnly?: boolean } = {}): Promise<QueueReport[]> {
    const names = options.queue
      ? [queueFor(this.ctx.config, options.queue).name]
      : Object.keys(this.ctx.config.queues);
    const tasks = await this.ctx.store.listTasks({});
    const now = this.ctx.clock.now();
    const reports = names.map((name) => {
      const queue = this.ctx.config.queues[name]!;
      const mine = tasks.filter((task) => task.queue === name);
      const counts = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<
        TaskStatus,
        number
      >;
      for (const task of mine) counts[task.status]++;
      const overdue = mine
        .filter((task) => !isFinal(task.status) && task.dueAt !== null && task.dueAt <= now)
        .sort((a, b) => a.dueAt! - b.dueAt!);
      return {
        queue: name,
        prefix: queue.prefix,
        handler: queue.handler,
        slaMinutes: queue.slaMinutes,
        claimPolicy: queue.claimPolicy,
        counts,
        overdue,
      };
    });
    return options.overdueOnly ? reports.filter((report) => report.overdue.length > 0) : reports;
  }

  /** Open tasks that wait on unfinished dependencies, and what each waits on. */
  async blockers(): Promise<Blocker[]> {
    const tasks = await this.ctx.store.listTasks({});
    const byId = new Map(tasks.map((task) => [task.id, task]));
    return tasks
      .filter((task) => task.status === "open")
      .map((task) => ({
        task,
        waitingOn: task.dependsOn
          .map((id) => byId.get(id)!)
          .filter((dep) => dep.status !== "done")
          .map((dep) => ({ id: dep.id, status: dep.status, holder: dep.holder, title: dep.title })),
      }))
      .filter((blocker) => blocker.waitingOn.length > 0);
  }

  /** Adds a queue to `.baton/config.json`, keeping the file's comments and layout. */
  async add(name: string, settings: QueueSettings): Promise<QueueChange> {
    checkSettings(settings);
    if (!settings.prefix) {
      throw new BatonError("usage", `queue ${name} needs a prefix for its task ids`, {
        cli: `give one: baton queue add ${name} --prefix ${name.slice(0, 3).toUpperCase() || "Q"}`,
        tool: "give a prefix of capital letters, e.g. BUG",
      });
    }
    return this.change(name, ({ raw, config }) => {
      if (Object.hasOwn(config.queues, name)) {
        throw new BatonError("conflict", `queue ${name} exists already`, {
          cli: `change it with baton queue edit ${name}`,
          tool: "pick another name",
        });
      }
      const queue: QueueConfig = {
        name,
        prefix: settings.prefix!,
        handler: settings.handler ?? null,
        slaMinutes: settings.slaMs == null ? null : settings.slaMs / 60_000,
        claimPolicy: settings.claimPolicy ?? "open",
      };
      return [
        ...materialiseQueues(raw, config),
        { path: ["queues", name], value: queueJson(queue) },
        ...(settings.makeDefault ? [{ path: ["default_queue"], value: name }] : []),
      ];
    });
  }

  /** Changes a queue's prefix, handler, SLA, claim policy, or makes it the default. */
  async edit(name: string, settings: QueueSettings): Promise<QueueChange> {
    checkSettings(settings);
    const given = Object.values(settings).some((value) => value !== undefined);
    if (!given) {
      throw new BatonError("usage", "nothing to change", {
        cli: "say what changes: --prefix, --handler, --no-handler, --sla, --no-sla, --claim-policy or --default",
        tool: "give at least one setting to change",
      });
    }
    return this.change(name, ({ raw, config }) => {
      queueFor(config, name);
      const at = (key: string) => ["queues", name, key];
      const edits: ConfigEdit[] = [...materialiseQueues(raw, config)];
      if (settings.prefix !== undefined) edits.push({ path: at("prefix"), value: settings.prefix });
      // mai-cli's names ("owner", "sla_hours") are read when the modern ones are missing: drop them, or the old value would come back.
      if (settings.handler !== undefined)
        edits.push({ path: at("handler"), value: settings.handler }, { path: at("owner"), value: undefined });
      if (settings.slaMs !== undefined)
        edits.push(
          { path: at("sla_minutes"), value: settings.slaMs === null ? null : settings.slaMs / 60_000 },
          { path: at("sla_hours"), value: undefined },
        );
      if (settings.claimPolicy !== undefined)
        edits.push({ path: at("claim_policy"), value: settings.claimPolicy });
      if (settings.makeDefault) edits.push({ path: ["default_queue"], value: name });
      return edits;
    });
  }

  /** Removes a queue that holds no unfinished task and is not the default. */
  async remove(name: string): Promise<QueueChange> {
    const queue = queueFor(this.ctx.config, name);
    const unfinished = await this.ctx.store.listTasks({ queue: name, status: ["open", "claimed"] });
    if (unfinished.length > 0) {
      const ids = unfinished.map((task) => task.id);
      throw new BatonError(
        "invalid_state",
        `queue ${name} holds ${ids.length} unfinished task(s): ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? " ..." : ""}`,
        {
          cli: `finish or cancel them first (baton task list --queue ${name}); done tasks keep their ids`,
          tool: "finish or cancel them first",
        },
        { queue: name, tasks: ids },
      );
    }
    return this.change(
      name,
      ({ raw, config }) => {
        queueFor(config, name);
        if (config.defaultQueue === name) {
          const other = Object.keys(config.queues).find((queue) => queue !== name);
          throw new BatonError(
            "invalid_state",
            `${name} is the default queue`,
            other
              ? {
                  cli: `make another one the default first: baton queue edit ${other} --default`,
                  tool: "make another queue the default first",
                }
              : "it is the only queue: a workspace needs one",
          );
        }
        return [...materialiseQueues(raw, config), { path: ["queues", name], value: undefined }];
      },
      queue,
    );
  }

  /**
   * Runs one config change, checks it, and makes this workspace see the result: every service
   * shares the one config object, so it is updated in place.
   */
  private async change(
    name: string,
    plan: (current: { raw: Record<string, unknown>; config: BatonConfig }) => ConfigEdit[],
    removed?: QueueConfig,
  ): Promise<QueueChange> {
    const { editConfigFile } = (await import(
      new URL("../workspace/config-edit.js", import.meta.url).href
    )) as ConfigEditModule;
    const { config, changed } = await editConfigFile(this.ctx.root, plan, {
      dryRun: this.ctx.dryRun,
      check: (next) => {
        const queue = Object.hasOwn(next.queues, name) ? next.queues[name] : undefined;
        // Without a handler, handler-only would quietly let anyone claim.
        if (queue?.claimPolicy === "handler-only" && !queue.handler) {
          throw new BatonError(
            "invalid_input",
            `queue ${name}: claim_policy handler-only needs a handler role`,
            {
              cli: "name the role that may claim its tasks: --handler reviewer",
              tool: "name the handler role",
            },
          );
        }
      },
    });
    const queue = removed ?? config.queues[name]!;
    if (!this.ctx.dryRun) Object.assign(this.ctx.config, config);
    return { queue, defaultQueue: config.defaultQueue, changed };
  }
}

/**
 * A config without "queues" has the built-in one (tasks, prefix T). Editing the queues there
 * must write that one out first, or adding a queue would silently replace it.
 */
function materialiseQueues(raw: Record<string, unknown>, config: BatonConfig): ConfigEdit[] {
  if (raw.queues !== undefined) return [];
  const queues = Object.fromEntries(
    Object.values(config.queues).map((queue) => [queue.name, queueJson(queue)]),
  );
  return [{ path: ["queues"], value: queues }];
}
