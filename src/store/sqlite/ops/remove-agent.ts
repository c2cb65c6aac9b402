import { BatonError } from "../../../errors.js";
import type { RemoveAgentInput, RemoveAgentResult } from "../../port.js";
import { requireKnownAgent } from "../agent-lookup.js";
import { expireWaitingFor } from "../expire-waiting.js";
import {
  appendEvent,
  recordLoss,
  sweepExpiredClaims,
  sweepExpiredLeases,
  type Tx,
  touchActor,
} from "../tx.js";

/**
 * Takes an agent off the team (a phantom from a typo, a retired worker). Only
 * the agent itself or a human may. While it holds claims or leases, or tasks
 * are reserved for it, it is refused unless `force`: then its claims go back
 * to the queue (no attempt counted: nobody failed), its leases end, its tasks
 * are open to everyone, and each of those is an event. Its history stays in
 * the log; should the name act again, its next heartbeat learns what it lost.
 */
export function removeAgent(tx: Tx, input: RemoveAgentInput): RemoveAgentResult {
  const actor = touchActor(tx);
  sweepExpiredClaims(tx);
  sweepExpiredLeases(tx);
  const name = requireKnownAgent(tx, input.name);
  if (name !== tx.actor && actor.kind !== "human") {
    throw new BatonError(
      "forbidden",
      `${tx.actor} is a ${actor.kind} agent; only a human, or ${name} itself, may remove ${name}`,
      'a person named in .baton/config.json ("humans") joins with `baton agent join NAME --kind human` and removes agents as that name',
      { name, actor: tx.actor, kind: actor.kind },
    );
  }
  const claims = tx.conn.all<{ id: string; token: number }>(
    `SELECT id, token FROM tasks WHERE status = 'claimed' AND holder = ? ORDER BY seq`,
    name,
  );
  const leases = tx.conn.all<{ path: string; token: number }>(
    `SELECT path, token FROM leases WHERE holder = ? ORDER BY path`,
    name,
  );
  const assigned = tx.conn.all<{ id: string }>(
    `SELECT id FROM tasks WHERE assignee = ? AND status IN ('open', 'claimed') ORDER BY seq`,
    name,
  );
  if (!input.force && claims.length + leases.length + assigned.length > 0) {
    const what = [
      claims.length ? `holds ${claims.map((c) => c.id).join(", ")}` : "",
      leases.length ? `leases ${leases.map((l) => l.path).join(", ")}` : "",
      assigned.length ? `has ${assigned.map((a) => a.id).join(", ")} reserved for it` : "",
    ].filter(Boolean);
    throw new BatonError(
      "conflict",
      `${name} ${what.join("; ")}: removing it would leave that work stranded`,
      {
        cli: `let ${name} finish or release it, or remove it anyway with --force (its claims go back to the queue, its leases end, its tasks are open to everyone)`,
        tool: `let ${name} finish or release its work first, or ask the human to remove it`,
      },
      {
        name,
        tasks: claims.map((c) => c.id),
        leases: leases.map((l) => l.path),
        assigned: assigned.map((a) => a.id),
      },
    );
  }
  const lose = (event: number, kind: "task" | "lease", subject: string, token: number) => {
    if (name !== tx.actor) recordLoss(tx, name, { event, kind, subject, token, reason: "removed" });
  };
  for (const claim of claims) {
    tx.conn.run(
      `UPDATE tasks SET status = 'open', holder = NULL, claim_expires_at = NULL, updated_at = ? WHERE id = ?`,
      tx.now,
      claim.id,
    );
    const event = appendEvent(tx, {
      type: "task.released",
      subject: claim.id,
      summary: `${tx.actor} released ${claim.id} back to the queue: its holder ${name} was removed`,
      data: { before: { status: "claimed", holder: name, token: claim.token }, after: { status: "open" } },
    });
    lose(event, "task", claim.id, claim.token);
  }
  if (leases.length > 0) {
    tx.conn.run(`DELETE FROM leases WHERE holder = ?`, name);
    const event = appendEvent(tx, {
      type: "lease.force_released",
      subject: leases.length === 1 ? leases[0]!.path : null,
      summary: `${tx.actor} ended ${name}'s leases on ${leases.map((l) => l.path).join(", ")}: ${name} was removed`,
      data: { before: leases.map((l) => ({ path: l.path, holder: name, token: l.token })), after: null },
    });
    for (const lease of leases) lose(event, "lease", lease.path, lease.token);
  }
  for (const task of assigned) {
    tx.conn.run(`UPDATE tasks SET assignee = NULL, updated_at = ? WHERE id = ?`, tx.now, task.id);
    appendEvent(tx, {
      type: "task.unassigned",
      subject: task.id,
      summary: `${task.id} unassigned from ${name}, who was removed`,
      data: { before: { assignee: name }, after: { assignee: null } },
    });
  }
  const row = tx.conn.get<{ kind: string; role: string | null }>(
    `DELETE FROM agents WHERE name = ? RETURNING kind, role`,
    name,
  )!;
  appendEvent(tx, {
    type: "agent.removed",
    subject: name,
    summary: `${tx.actor} removed ${name} from the team`,
    data: { before: { kind: row.kind, role: row.role }, after: null },
  });
  expireWaitingFor(tx, { asker: name }, `${name} was removed from the team`);
  return {
    agent: name,
    releasedTasks: claims.map((c) => c.id),
    releasedLeases: leases.map((l) => l.path),
    unassignedTasks: assigned.map((a) => a.id),
  };
}
