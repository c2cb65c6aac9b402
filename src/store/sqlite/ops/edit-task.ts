import { assertUsableDependency } from "../../../domain/blocked-tasks.js";
import { assertAssignable } from "../../../domain/claim-rules.js";
import { checkEditHasChanges, checkReopen, editedTags } from "../../../domain/task-edit-rules.js";
import type { AgentKind, Task, TaskDetail } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import type { CancelTaskInput, EditTaskInput, Mutation, ReopenTaskInput } from "../../port.js";
import { requireKnownAgent, roleOf } from "../agent-lookup.js";
import { expireWaitingFor } from "../expire-waiting.js";
import {
  announceIfBlocked,
  appendEvent,
  blockDependents,
  recordLoss,
  requireTask,
  sweepExpiredClaims,
  type Tx,
  touchActor,
} from "../tx.js";
import { ensureNotFinal } from "./finish-task.js";
import { getTask } from "./get-task.js";

/** Assignment, remarks, edits, cancelling and reopening: changes that need no claim. */

function begin(tx: Tx, id: string, verb: string): Task {
  touchActor(tx);
  sweepExpiredClaims(tx);
  const task = requireTask(tx, id);
  ensureNotFinal(task, verb);
  return task;
}

/** Reserving for an agent that has not joined yet is said explicitly (`allowUnknown`). */
const NEW_ASSIGNEE = {
  cli: "to reserve it for an agent that has not joined yet, add --new",
  tool: "assign it to an agent that has joined",
};

export function assignTask(
  tx: Tx,
  input: Mutation & {
    id: string;
    assignee: string | null;
    allowUnknown?: boolean;
    handlerOnly?: Record<string, string>;
  },
): Task {
  const task = begin(tx, input.id, input.assignee ? "assign" : "unassign");
  if (input.assignee) {
    requireKnownAgent(tx, input.assignee, { allowUnknown: input.allowUnknown, newHint: NEW_ASSIGNEE });
    assertAssignable(task, input.assignee, roleOf(tx, input.assignee), input.handlerOnly);
  }
  if (task.assignee === input.assignee) return task;
  tx.conn.run(`UPDATE tasks SET assignee = ?, updated_at = ? WHERE id = ?`, input.assignee, tx.now, task.id);
  appendEvent(tx, {
    type: input.assignee ? "task.assigned" : "task.unassigned",
    subject: task.id,
    summary: input.assignee
      ? `${task.id} assigned to ${input.assignee}`
      : `${task.id} unassigned from ${task.assignee}`,
    data: { before: { assignee: task.assignee }, after: { assignee: input.assignee } },
  });
  return { ...task, assignee: input.assignee, updatedAt: tx.now };
}

export function amendTask(tx: Tx, input: Mutation & { id: string; remark: string }): TaskDetail {
  touchActor(tx);
  const task = requireTask(tx, input.id);
  tx.conn.run(
    `INSERT INTO remarks (task_id, at, author, text) VALUES (?, ?, ?, ?)`,
    task.id,
    tx.now,
    tx.actor,
    input.remark,
  );
  tx.conn.run(`UPDATE tasks SET updated_at = ? WHERE id = ?`, tx.now, task.id);
  appendEvent(tx, {
    type: "task.amended",
    subject: task.id,
    summary: `${tx.actor} on ${task.id}: ${input.remark}`,
    data: { after: { remark: input.remark } },
  });
  return getTask(tx, task.id);
}

export function cancelTask(tx: Tx, input: CancelTaskInput): Task {
  const task = begin(tx, input.id, "cancel");
  if (input.ifToken !== undefined && task.token !== input.ifToken) {
    throw new BatonError(
      "conflict",
      `${task.id} changed since you looked: it is ${task.status}${task.holder ? `, held by ${task.holder}` : ""} (token ${task.token})`,
      "nothing was cancelled; look again and decide on what it is now",
      { id: task.id, status: task.status, holder: task.holder, token: task.token },
    );
  }
  tx.conn.run(
    `UPDATE tasks SET status = 'cancelled', holder = NULL, claim_expires_at = NULL, result = ?, updated_at = ? WHERE id = ?`,
    input.reason,
    tx.now,
    task.id,
  );
  const event = appendEvent(tx, {
    type: "task.cancelled",
    subject: task.id,
    summary: `${tx.actor} cancelled ${task.id}${input.reason ? `: ${input.reason}` : ""}`,
    data: {
      before: { status: task.status, holder: task.holder, token: task.holder ? task.token : null },
      after: { status: "cancelled", reason: input.reason },
    },
  });
  // Cancelled under its holder: the holder's next heartbeat says so.
  if (task.holder && task.holder !== tx.actor)
    recordLoss(tx, task.holder, {
      event,
      kind: "task",
      subject: task.id,
      token: task.token!,
      reason: "cancelled",
    });
  blockDependents(tx, { ...task, status: "cancelled" }, input.reason);
  expireWaitingFor(
    tx,
    { task: task.id },
    `${task.id} was cancelled${input.reason ? `: ${input.reason}` : ""}`,
  );
  return {
    ...task,
    status: "cancelled",
    holder: null,
    claimExpiresAt: null,
    result: input.reason,
    blockedBy: [],
    updatedAt: tx.now,
  };
}

export function editTask(tx: Tx, input: EditTaskInput): Task {
  checkEditHasChanges(input);
  const task = begin(tx, input.id, "edit");
  const after = {
    title: input.title ?? task.title,
    body: input.body ?? task.body,
    priority: input.priority ?? task.priority,
    tags: editedTags(task.tags, input.addTags ?? [], input.removeTags ?? []),
  };
  const before = { title: task.title, body: task.body, priority: task.priority, tags: task.tags };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter(
    (key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]),
  );
  if (changed.length === 0) return task;
  tx.conn.run(
    `UPDATE tasks SET title = ?, body = ?, priority = ?, tags = ?, updated_at = ? WHERE id = ?`,
    after.title,
    after.body,
    after.priority,
    JSON.stringify(after.tags),
    tx.now,
    task.id,
  );
  const pick = (values: typeof after) => Object.fromEntries(changed.map((key) => [key, values[key]]));
  appendEvent(tx, {
    type: "task.edited",
    subject: task.id,
    summary: `${tx.actor} edited ${task.id} (${changed.join(", ")})`,
    data: { before: pick(before), after: pick(after) },
  });
  return { ...task, ...after, updatedAt: tx.now };
}

export function reopenTask(tx: Tx, input: ReopenTaskInput): Task {
  const actor = touchActor(tx);
  const task = requireTask(tx, input.id);
  checkReopen(task, { name: tx.actor, kind: actor.kind as AgentKind });
  const dueAt = input.slaMs ? tx.now + input.slaMs : null;
  tx.conn.run(
    `UPDATE tasks SET status = 'open', holder = NULL, claim_expires_at = NULL, attempts = 0, result = NULL,
       report = NULL, due_at = ?, escalated_at = NULL, updated_at = ? WHERE id = ?`,
    dueAt,
    tx.now,
    task.id,
  );
  if (input.reason) {
    tx.conn.run(
      `INSERT INTO remarks (task_id, at, author, text) VALUES (?, ?, ?, ?)`,
      task.id,
      tx.now,
      tx.actor,
      `Reopened: ${input.reason}`,
    );
  }
  appendEvent(tx, {
    type: "task.reopened",
    subject: task.id,
    summary: `${tx.actor} reopened ${task.id} (was ${task.status})${input.reason ? `: ${input.reason}` : ""}`,
    data: {
      before: { status: task.status, attempts: task.attempts, result: task.result, report: task.report },
      after: { status: "open", attempts: 0, reason: input.reason },
    },
  });
  return requireTask(tx, task.id);
}

export function addDependency(tx: Tx, input: Mutation & { id: string; dependsOn: string }): Task {
  const task = begin(tx, input.id, "add a dependency to");
  assertUsableDependency(task.id, requireTask(tx, input.dependsOn));
  if (input.id === input.dependsOn) {
    throw new BatonError("dependency_cycle", `${input.id} cannot depend on itself`, "name another task");
  }
  // Would the new edge close a loop? Walk from the dependency along what it waits on.
  const path = tx.conn.get<{ path: string }>(
    `WITH RECURSIVE reach(id, path) AS (
       SELECT ?, ?
       UNION
       SELECT d.depends_on, reach.path || ' -> ' || d.depends_on FROM task_deps d JOIN reach ON d.task_id = reach.id
     )
     SELECT path FROM reach WHERE id = ? LIMIT 1`,
    input.dependsOn,
    input.dependsOn,
    input.id,
  );
  if (path) {
    throw new BatonError(
      "dependency_cycle",
      `${input.id} cannot wait on ${input.dependsOn}: ${path.path} already waits on ${input.id}`,
      `that would be a cycle (${input.id} -> ${path.path}); remove one of those dependencies first`,
      { id: input.id, dependsOn: input.dependsOn },
    );
  }
  const inserted = tx.conn.run(
    `INSERT OR IGNORE INTO task_deps (task_id, depends_on) VALUES (?, ?)`,
    input.id,
    input.dependsOn,
  );
  if (inserted.changes === 0) return task;
  tx.conn.run(`UPDATE tasks SET updated_at = ? WHERE id = ?`, tx.now, task.id);
  appendEvent(tx, {
    type: "task.dep_added",
    subject: task.id,
    summary: `${task.id} now waits on ${input.dependsOn}`,
    data: {
      before: { dependsOn: task.dependsOn },
      after: { dependsOn: [...task.dependsOn, input.dependsOn] },
    },
  });
  const updated = requireTask(tx, task.id);
  if (updated.status === "open") announceIfBlocked(tx, updated);
  return updated;
}

export function removeDependency(tx: Tx, input: Mutation & { id: string; dependsOn: string }): Task {
  const task = begin(tx, input.id, "remove a dependency from");
  const removed = tx.conn.run(
    `DELETE FROM task_deps WHERE task_id = ? AND depends_on = ?`,
    input.id,
    input.dependsOn,
  );
  if (removed.changes === 0) {
    throw new BatonError("not_found", `${input.id} does not wait on ${input.dependsOn}`, {
      cli: `see its dependencies: baton task show ${input.id}`,
      tool: `see its dependencies in list_tasks`,
    });
  }
  tx.conn.run(`UPDATE tasks SET updated_at = ? WHERE id = ?`, tx.now, task.id);
  appendEvent(tx, {
    type: "task.dep_removed",
    subject: task.id,
    summary: `${task.id} no longer waits on ${input.dependsOn}`,
    data: {
      before: { dependsOn: task.dependsOn },
      after: { dependsOn: task.dependsOn.filter((dep) => dep !== input.dependsOn) },
    },
  });
  return requireTask(tx, task.id);
}
