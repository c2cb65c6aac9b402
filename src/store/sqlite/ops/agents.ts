import { agentStatus } from "../../../domain/agent-status.js";
import { NO_COST } from "../../../domain/cost.js";
import type { Agent, AgentView } from "../../../domain/types.js";
import type {
  HeartbeatInput,
  HeartbeatResult,
  JoinAgentInput,
  LeaveResult,
  ListAgentsInput,
  Mutation,
  PendingWork,
  ReportActivityInput,
} from "../../port.js";
import { expireWaitingFor } from "../expire-waiting.js";
import { type AgentRow, type LostHoldRow, toAgent, toLostHold } from "../rows.js";
import { appendEvent, sweepExpiredClaims, sweepExpiredLeases, type Tx, touchActor } from "../tx.js";
import { allAgentTotals } from "./costs.js";

export function joinAgent(tx: Tx, input: JoinAgentInput): AgentRow {
  // Joining by hand is how a name is declared new: a near miss of a known name is accepted (a case twin never).
  const before = touchActor(tx, input.kind ?? "custom", { explicit: !input.automatic });
  const role = input.role === undefined ? before.role : input.role;
  const kind = input.kind ?? before.kind;
  if (role !== before.role || kind !== before.kind) {
    tx.conn.run(`UPDATE agents SET role = ?, kind = ? WHERE name = ?`, role, kind, tx.actor);
    appendEvent(tx, {
      type: "agent.updated",
      subject: tx.actor,
      summary: `${tx.actor} is now ${kind}${role ? `, role ${role}` : ""}`,
      data: { before: { role: before.role, kind: before.kind }, after: { role, kind } },
    });
  }
  return { ...before, role, kind };
}

/**
 * Renews every claim and lease the agent still holds, each by its own TTL, and
 * reports, once, everything taken from it since its last heartbeat: claims and
 * leases that expired (whichever process swept them), tasks cancelled under
 * it, leases force-released. What already expired is swept first, so a late
 * heartbeat cannot revive a claim that another agent may have taken since
 * (promise 2). With `keepLosses` the losses are reported and kept for the next
 * heartbeat: for callers that cannot pass them on to the agent.
 */
export function heartbeat(tx: Tx, input: HeartbeatInput): HeartbeatResult {
  const before = touchActor(tx);
  // A heartbeat is the agent saying it is here: seen now, to the millisecond (touchActor spares
  // busy operations a write within a second; "heard from since it started" compares to this).
  tx.conn.run(
    `UPDATE agents SET last_seen_at = ? WHERE name = ? AND last_seen_at < ?`,
    tx.now,
    tx.actor,
    tx.now,
  );
  sweepExpiredClaims(tx);
  sweepExpiredLeases(tx);
  const lost = tx.conn
    .all<LostHoldRow>(`SELECT * FROM lost_holds WHERE agent = ? ORDER BY id`, tx.actor)
    .map(toLostHold);
  if (lost.length > 0 && !input.keepLosses) tx.conn.run(`DELETE FROM lost_holds WHERE agent = ?`, tx.actor);
  const renewedTasks = tx.conn.all<{ id: string; token: number; expiresAt: number }>(
    `UPDATE tasks SET claim_expires_at = ? + claim_ttl_ms WHERE status = 'claimed' AND holder = ?
     RETURNING id, token, claim_expires_at AS expiresAt`,
    tx.now,
    tx.actor,
  );
  const renewedLeases = tx.conn.all<{ path: string; token: number; expiresAt: number }>(
    `UPDATE leases SET expires_at = ? + ttl_ms WHERE holder = ? RETURNING path, token, expires_at AS expiresAt`,
    tx.now,
    tx.actor,
  );
  const changedWork = input.workingOn !== undefined && input.workingOn !== before.working_on;
  if (changedWork || before.hung_since !== null) {
    const workingOn = changedWork ? input.workingOn : before.working_on;
    tx.conn.run(
      `UPDATE agents SET working_on = ?, hung_since = NULL WHERE name = ?`,
      workingOn ?? null,
      tx.actor,
    );
    appendEvent(tx, {
      type: before.hung_since !== null ? "agent.recovered" : "agent.working_on",
      subject: tx.actor,
      summary:
        before.hung_since !== null
          ? `${tx.actor} is responding again`
          : `${tx.actor} is working on ${workingOn ?? "nothing in particular"}`,
      data: { before: { workingOn: before.working_on }, after: { workingOn } },
    });
  }
  return {
    agent: tx.actor,
    renewedTasks,
    renewedLeases,
    lost,
    lostTasks: [...new Set(lost.filter((l) => l.kind === "task").map((l) => l.subject))],
    lostLeases: [...new Set(lost.filter((l) => l.kind === "lease").map((l) => l.subject))],
  };
}

/** Leaving releases everything the agent holds; its tasks go back to the queue without an attempt counted. */
export function leaveAgent(tx: Tx, _input: Mutation): LeaveResult {
  touchActor(tx);
  sweepExpiredClaims(tx);
  sweepExpiredLeases(tx);
  const releasedTasks = tx.conn
    .all<{ id: string }>(
      `UPDATE tasks SET status = 'open', holder = NULL, claim_expires_at = NULL, updated_at = ?
       WHERE status = 'claimed' AND holder = ? RETURNING id`,
      tx.now,
      tx.actor,
    )
    .map((row) => row.id);
  const releasedLeases = tx.conn
    .all<{ path: string }>(`DELETE FROM leases WHERE holder = ? RETURNING path`, tx.actor)
    .map((row) => row.path);
  tx.conn.run(`UPDATE agents SET left_at = ?, working_on = NULL WHERE name = ?`, tx.now, tx.actor);
  expireWaitingFor(tx, { asker: tx.actor }, `${tx.actor} left the team`);
  appendEvent(tx, {
    type: "agent.left",
    subject: tx.actor,
    summary: `${tx.actor} left${releasedTasks.length + releasedLeases.length ? `, releasing ${[...releasedTasks, ...releasedLeases].join(", ")}` : ""}`,
    data: { before: { tasks: releasedTasks, leases: releasedLeases }, after: { status: "offline" } },
  });
  return { agent: tx.actor, releasedTasks, releasedLeases };
}

export function listAgents(tx: Tx, input: ListAgentsInput): AgentView[] {
  const agents = tx.conn.all<AgentRow>(`SELECT * FROM agents ORDER BY name`);
  const tasks = tx.conn.all<{ holder: string; id: string }>(
    `SELECT holder, id FROM tasks WHERE status = 'claimed' ORDER BY seq`,
  );
  const leases = tx.conn.all<{ holder: string; path: string }>(
    `SELECT holder, path FROM leases ORDER BY path`,
  );
  const costs = allAgentTotals(tx);
  return agents.map((row) => {
    const agent = toAgent(row);
    const held = {
      tasks: tasks.filter((t) => t.holder === row.name).map((t) => t.id),
      leases: leases.filter((l) => l.holder === row.name).map((l) => l.path),
    };
    const status = agentStatus(
      agent,
      { claims: held.tasks.length, leases: held.leases.length },
      tx.now,
      input,
    );
    return { ...agent, status, ...held, cost: costs.get(row.name) ?? { ...NO_COST } };
  });
}

const ACTIVITY_WORDS: Record<ReportActivityInput["state"], string> = {
  working: "is working",
  waiting: "waits for a human",
  idle: "is idle",
  exited: "has exited",
};

/**
 * Records what the agent is doing, with the signal that said so (a host hook,
 * the supervisor, a headless run's end). A report is also a sign of life. The
 * log gets an event when the state changes, not at every report: a host
 * reports each prompt and each stop, and the log is for what a person follows.
 */
export function reportActivity(tx: Tx, input: ReportActivityInput): Agent {
  const before = touchActor(tx);
  const detail = input.detail ?? null;
  tx.conn.run(
    `UPDATE agents SET activity = ?, activity_signal = ?, activity_detail = ?, activity_at = ? WHERE name = ?`,
    input.state,
    input.signal,
    detail,
    tx.now,
    tx.actor,
  );
  if (before.activity !== input.state)
    appendEvent(tx, {
      type: "agent.activity",
      subject: tx.actor,
      summary: `${tx.actor} ${ACTIVITY_WORDS[input.state]} (${input.signal}${detail ? `: ${detail}` : ""})`,
      data: {
        before: { state: before.activity },
        after: { state: input.state, signal: input.signal, detail },
      },
    });
  return toAgent({
    ...before,
    activity: input.state,
    activity_signal: input.signal,
    activity_detail: detail,
    activity_at: tx.now,
  });
}

/** Unread inbox messages and open assigned tasks per agent; reads only, touches no one. */
export function pendingWork(tx: Tx, input: { agents: string[] }): PendingWork[] {
  return input.agents.map((agent) => {
    const cursor =
      tx.conn.get<{ seq: number }>(`SELECT seq FROM cursors WHERE agent = ? AND stream = 'inbox'`, agent)
        ?.seq ?? 0;
    const inbox = tx.conn.get<{ n: number; newest: number | null }>(
      `SELECT COUNT(*) AS n, MAX(message) AS newest FROM deliveries WHERE agent = ? AND message > ?`,
      agent,
      cursor,
    );
    const assigned = tx.conn
      .all<{ id: string }>(`SELECT id FROM tasks WHERE status = 'open' AND assignee = ? ORDER BY seq`, agent)
      .map((row) => row.id);
    return { agent, unread: inbox?.n ?? 0, newest: inbox?.newest ?? 0, assigned };
  });
}
