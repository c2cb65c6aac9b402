import {
  caseTwinError,
  isNearMiss,
  type NewNameHint,
  nearMissIdentityError,
  unknownAgentError,
} from "../../domain/agent-names.js";
import { BatonError } from "../../errors.js";
import type { Tx } from "./tx.js";

/** Agent names as the store checks them, inside the caller's transaction (rules in domain/agent-names.ts). */

/** A first sight of `tx.actor` that is a case twin of a known name, or (unless `explicit`) looks like a slip for one. */
export function refuseConfusableName(tx: Tx, explicit: boolean): void {
  const twin = tx.conn.get<{ name: string }>(
    `SELECT name FROM agents WHERE name = ? COLLATE NOCASE ORDER BY joined_at LIMIT 1`,
    tx.actor,
  );
  if (twin) throw caseTwinError(tx.actor, twin.name);
  if (explicit) return;
  // Removed from the team: its next command does not put it back unnoticed; joining on purpose does.
  const removed = tx.conn.get<{ actor: string }>(
    `SELECT actor FROM events WHERE type = 'agent.removed' AND subject = ? ORDER BY seq DESC LIMIT 1`,
    tx.actor,
  );
  if (removed) {
    // A process still running under the name learns what it lost with it.
    const lost = tx.conn.all<{ kind: string; subject: string; reason: string }>(
      `SELECT kind, subject, reason FROM lost_holds WHERE agent = ? ORDER BY id`,
      tx.actor,
    );
    const what = lost.length
      ? ` (its claims and leases went with it: ${lost.map((l) => l.subject).join(", ")})`
      : "";
    throw new BatonError(
      "not_found",
      `${tx.actor} was removed from the team by ${removed.actor}${what}`,
      {
        cli: `to come back, join again: baton agent join ${tx.actor}`,
        tool: `this agent was taken off the team; ask the human whether to come back (they can join ${tx.actor} again)`,
      },
      { name: tx.actor, removedBy: removed.actor, lost },
    );
  }
  const near = tx.conn
    .all<{ name: string }>(`SELECT name FROM agents ORDER BY name`)
    .map((agent) => agent.name)
    .filter((known) => isNearMiss(tx.actor, known));
  if (near.length > 0) throw nearMissIdentityError(tx.actor, near);
}

/**
 * A name that must be a known agent's (a recipient, an assignee): refused with
 * "did you mean" when unknown, unless `allowUnknown` (an agent that will join
 * later). A case twin of a known name is refused either way: it could never
 * join under that spelling.
 */
export function requireKnownAgent(
  tx: Tx,
  name: string,
  options: { allowUnknown?: boolean; newHint?: NewNameHint } = {},
): string {
  if (tx.conn.get(`SELECT 1 FROM agents WHERE name = ?`, name)) return name;
  return refuseUnknownAgent(tx, name, options);
}

/** The role of a known agent; undefined for a name no agent has joined under. */
export function roleOf(tx: Tx, name: string): string | null | undefined {
  return tx.conn.get<{ role: string | null }>(`SELECT role FROM agents WHERE name = ?`, name)?.role;
}

function refuseUnknownAgent(
  tx: Tx,
  name: string,
  options: { allowUnknown?: boolean; newHint?: NewNameHint },
): string {
  const twin = tx.conn.get<{ name: string }>(
    `SELECT name FROM agents WHERE name = ? COLLATE NOCASE ORDER BY joined_at LIMIT 1`,
    name,
  );
  if (twin) throw caseTwinError(name, twin.name);
  if (options.allowUnknown) return name;
  const known = tx.conn.all<{ name: string }>(`SELECT name FROM agents ORDER BY name`).map((a) => a.name);
  throw unknownAgentError(name, known, options.newHint ?? { cli: "", tool: "" });
}
