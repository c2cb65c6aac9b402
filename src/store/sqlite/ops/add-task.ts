import { assertUsableDependency } from "../../../domain/blocked-tasks.js";
import { assertAssignable } from "../../../domain/claim-rules.js";
import { formatTaskId } from "../../../domain/task-rules.js";
import type { Task } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import type { AddTaskInput } from "../../port.js";
import { requireKnownAgent, roleOf } from "../agent-lookup.js";
import { announceIfBlocked, appendEvent, findTask, requireTask, type Tx, touchActor } from "../tx.js";

export function addTask(tx: Tx, input: AddTaskInput): Task {
  touchActor(tx);
  const dependsOn = [...new Set(input.dependsOn ?? [])];
  for (const dep of dependsOn) {
    const found = findTask(tx, dep);
    if (!found) {
      throw new BatonError(
        "not_found",
        `the dependency ${dep} does not exist`,
        { cli: "check the id with `baton task list`", tool: "check the id with list_tasks" },
        { id: dep },
      );
    }
    assertUsableDependency(null, found);
  }
  if (input.assignee) {
    requireKnownAgent(tx, input.assignee, {
      allowUnknown: input.allowUnknownAssignee,
      newHint: {
        cli: "to reserve it for an agent that has not joined yet, add --new",
        tool: "leave it unassigned, or name an agent that has joined",
      },
    });
    assertAssignable(
      { id: "the task", queue: input.queue },
      input.assignee,
      roleOf(tx, input.assignee),
      input.handlerOnly,
    );
  }
  const { last } = tx.conn.get<{ last: number }>(
    `INSERT INTO id_counters (prefix, last) VALUES (?, 1)
     ON CONFLICT (prefix) DO UPDATE SET last = last + 1 RETURNING last`,
    input.prefix,
  )!;
  const id = formatTaskId(input.prefix, last);
  tx.conn.run(
    `INSERT INTO tasks (id, title, body, queue, priority, tags, status, assignee, max_attempts, plan_required,
       due_at, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)`,
    id,
    input.title,
    input.body ?? "",
    input.queue,
    input.priority ?? 2,
    JSON.stringify(input.tags ?? []),
    input.assignee ?? null,
    input.maxAttempts,
    input.planRequired ? 1 : 0,
    input.slaMs ? tx.now + input.slaMs : null,
    tx.actor,
    tx.now,
    tx.now,
  );
  for (const dep of dependsOn)
    tx.conn.run(`INSERT INTO task_deps (task_id, depends_on) VALUES (?, ?)`, id, dep);
  const task = requireTask(tx, id);
  appendEvent(tx, {
    type: "task.added",
    subject: id,
    summary: `${id} added to ${input.queue}: ${input.title}`,
    data: {
      after: {
        status: "open",
        queue: input.queue,
        priority: task.priority,
        assignee: task.assignee,
        dependsOn,
      },
    },
  });
  announceIfBlocked(tx, task);
  return task;
}
