import type { Remark, Task, TaskDetail } from "../../../domain/types.js";
import type { ListTasksInput } from "../../port.js";
import { type EventRow, TASK_LIST_COLUMNS, type TaskRow, toEvent, toTask } from "../rows.js";
import { blockedTasks } from "../task-graph.js";
import { requireTask, type Tx } from "../tx.js";
import { readyScope } from "./claim-task.js";
import { totalOf } from "./costs.js";

export function getTask(tx: Tx, id: string): TaskDetail {
  const task = requireTask(tx, id);
  const blocks = tx.conn.all<{ task_id: string }>(`SELECT task_id FROM task_deps WHERE depends_on = ?`, id);
  const waiting = tx.conn.all<{ id: string }>(
    `SELECT dt.id FROM task_deps d JOIN tasks dt ON dt.id = d.depends_on WHERE d.task_id = ? AND dt.status <> 'done'`,
    id,
  );
  const remarks = tx.conn.all<Remark>(
    `SELECT at, author AS by, text FROM remarks WHERE task_id = ? ORDER BY id`,
    id,
  );
  const history = tx.conn
    .all<EventRow>(`SELECT * FROM events WHERE subject = ? ORDER BY seq`, id)
    .map(toEvent);
  return {
    ...task,
    blocks: blocks.map((b) => b.task_id),
    waitingOn: waiting.map((w) => w.id),
    remarks,
    history,
    cost: totalOf(tx, "task", id),
  };
}

export function listTasks(tx: Tx, input: ListTasksInput): Task[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (input.ready) {
    // No name: what a newcomer could take (unassigned, no role).
    const actor = input.readyFor ?? "";
    const role =
      tx.conn.get<{ role: string | null }>(`SELECT role FROM agents WHERE name = ?`, actor)?.role ?? null;
    const scope = readyScope(actor, role, { queue: input.queue, handlerOnly: input.handlerOnly });
    where.push(scope.where);
    Object.assign(params, scope.params);
  } else if (input.queue) {
    where.push(`t.queue = @queue`);
    params.queue = input.queue;
  }
  if (input.status && input.status.length > 0) {
    where.push(`t.status IN (${input.status.map((_, i) => `@status${i}`).join(", ")})`);
    input.status.forEach((status, i) => {
      params[`status${i}`] = status;
    });
  }
  if (input.involving) {
    where.push(`(t.holder = @involving OR t.assignee = @involving)`);
    params.involving = input.involving;
  }
  const sql = `SELECT ${TASK_LIST_COLUMNS} FROM tasks t ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY t.priority, t.seq ${input.limit ? `LIMIT ${Math.floor(input.limit)}` : ""}`;
  const tasks = (tx.conn.statement(sql).all(params) as TaskRow[]).map(toTask);
  const blocked = blockedTasks(tx.conn);
  return blocked.size === 0
    ? tasks
    : tasks.map((task) => ({ ...task, blockedBy: blocked.get(task.id) ?? [] }));
}
