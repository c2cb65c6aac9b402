import { queueFor } from "../domain/config.js";
import { isFinal } from "../domain/task-rules.js";
import { TASK_STATUSES, type Task, type TaskStatus } from "../domain/types.js";
import type { ServiceContext } from "./service-context.js";

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
}
