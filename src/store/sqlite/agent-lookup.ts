import {
  caseTwinError,
  isNearMiss,
  type NewNameHint,
  nearMissIdentityError,
  unknownAgentError,
} from "../../domain/agent-names.js";
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
