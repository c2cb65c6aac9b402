import { timingSafeEqual } from "node:crypto";
import { type AgentKey, type Device, LAST_USE_PRECISION_MS, type Pairing } from "../../../domain/access.js";
import { BatonError } from "../../../errors.js";
import type { CreateKeyInput, CreatePairingInput, Mutation, RedeemPairingInput } from "../../port.js";
import { appendEvent, type Tx, touchActor } from "../tx.js";

/**
 * Agent keys, pairing links and paired devices. The store sees only hashes of
 * the secrets; creating, pairing and revoking are events (never with a hash).
 * Keys and devices are looked up by hash on every request to the hub server,
 * so revoking one takes effect at the next request.
 */

interface KeyRow {
  seq: number;
  agent: string;
  role: string | null;
  secret_hash: string;
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

interface PairingRow {
  seq: number;
  human: string;
  token_hash: string;
  created_at: number;
  created_by: string;
  expires_at: number;
  used_at: number | null;
  device: number | null;
}

interface DeviceRow {
  seq: number;
  human: string;
  name: string;
  secret_hash: string;
  paired_at: number;
  pairing: number;
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

function toKey(row: KeyRow): AgentKey {
  return {
    id: `K-${row.seq}`,
    agent: row.agent,
    role: row.role,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

function toPairing(row: PairingRow): Pairing {
  return {
    id: `P-${row.seq}`,
    human: row.human,
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    device: row.device === null ? null : `D-${row.device}`,
  };
}

function toDevice(row: DeviceRow): Device {
  return {
    id: `D-${row.seq}`,
    human: row.human,
    name: row.name,
    pairedAt: row.paired_at,
    pairing: `P-${row.pairing}`,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

/** The acting identity, which must be a human: keys and devices open the hub to others. */
function requireHuman(tx: Tx, what: string): void {
  const actor = touchActor(tx);
  if (actor.kind !== "human") {
    throw new BatonError(
      "forbidden",
      `${tx.actor} is a ${actor.kind} agent; only a human may ${what}`,
      'a person named in .baton/config.json ("humans") does this, as that name',
      { actor: tx.actor, kind: actor.kind },
    );
  }
}

/** `K-3` → 3, for the given prefix; anything else is not_found (it names nothing). */
function seqOf(id: string, prefix: "K" | "D", list: string): number {
  const match = new RegExp(`^${prefix}-([1-9][0-9]{0,15})$`, "i").exec(String(id).trim());
  if (!match) {
    throw new BatonError(
      "not_found",
      `no ${prefix === "K" ? "key" : "device"} '${String(id).slice(0, 40)}'`,
      {
        cli: `ids look like ${prefix}-3; list them with ${list}`,
        tool: `ids look like ${prefix}-3`,
      },
    );
  }
  return Number(match[1]);
}

/** Equal hashes, compared in constant time (the lookup found the row by the same value; this is belt and braces). */
function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createKey(tx: Tx, input: CreateKeyInput): AgentKey {
  requireHuman(tx, `create a key for ${input.agent}`);
  const target = tx.conn.get<{ kind: string }>(
    `SELECT kind FROM agents WHERE name = ? COLLATE NOCASE`,
    input.agent,
  );
  if (target?.kind === "human") {
    throw new BatonError(
      "forbidden",
      `${input.agent} is a human: a key acts as an agent, never as a person`,
      {
        cli: "a person pairs a browser or phone instead: baton pair --human NAME",
        tool: "a key is for an agent: name one that is not a human",
      },
      { agent: input.agent },
    );
  }
  const row = tx.conn.get<KeyRow>(
    `INSERT INTO agent_keys (agent, role, secret_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?) RETURNING *`,
    input.agent,
    input.role,
    input.secretHash,
    tx.now,
    tx.actor,
  )!;
  const key = toKey(row);
  appendEvent(tx, {
    type: "key.created",
    subject: key.id,
    summary: `${tx.actor} created key ${key.id} for ${key.agent}${key.role ? ` (role ${key.role})` : ""}`,
    data: { after: { agent: key.agent, role: key.role } },
  });
  return key;
}

export function listKeys(tx: Tx): AgentKey[] {
  return tx.conn.all<KeyRow>(`SELECT * FROM agent_keys ORDER BY seq`).map(toKey);
}

export function revokeKey(tx: Tx, input: Mutation & { id: string }): AgentKey {
  const seq = seqOf(input.id, "K", "baton key list");
  requireHuman(tx, `revoke key K-${seq}`);
  const row = tx.conn.get<KeyRow>(`SELECT * FROM agent_keys WHERE seq = ?`, seq);
  if (!row) throw new BatonError("not_found", `no key K-${seq}`, "list the keys with baton key list");
  if (row.revoked_at !== null) return toKey(row);
  const revoked = tx.conn.get<KeyRow>(
    `UPDATE agent_keys SET revoked_at = ?, revoked_by = ? WHERE seq = ? RETURNING *`,
    tx.now,
    tx.actor,
    seq,
  )!;
  appendEvent(tx, {
    type: "key.revoked",
    subject: `K-${seq}`,
    summary: `${tx.actor} revoked key K-${seq} of ${row.agent}`,
    data: { before: { revokedAt: null }, after: { agent: row.agent, revokedAt: tx.now } },
  });
  return toKey(revoked);
}

/** The live key with this hash, and whether its last use is stale enough to record. */
export function findLiveKey(tx: Tx, secretHash: string): { key: AgentKey; stale: boolean } | null {
  const row = tx.conn.get<KeyRow>(
    `SELECT * FROM agent_keys WHERE secret_hash = ? AND revoked_at IS NULL`,
    secretHash,
  );
  if (!row || !sameHash(row.secret_hash, secretHash)) return null;
  return { key: toKey(row), stale: isStale(row.last_used_at, tx.now) };
}

/** Records a use; a key revoked meanwhile is not brought back by it, and is reported gone (null). */
export function recordKeyUse(tx: Tx, input: { secretHash: string }): AgentKey | null {
  const row = tx.conn.get<KeyRow>(
    `UPDATE agent_keys SET last_used_at = ? WHERE secret_hash = ? AND revoked_at IS NULL RETURNING *`,
    tx.now,
    input.secretHash,
  );
  return row ? toKey(row) : null;
}

function isStale(lastUsedAt: number | null, now: number): boolean {
  return lastUsedAt === null || now - lastUsedAt >= LAST_USE_PRECISION_MS;
}

export function createPairing(tx: Tx, input: CreatePairingInput): Pairing {
  requireHuman(tx, `create a pairing link for ${input.human}`);
  const row = tx.conn.get<PairingRow>(
    `INSERT INTO pairings (human, token_hash, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING *`,
    input.human,
    input.tokenHash,
    tx.now,
    tx.actor,
    tx.now + input.ttlMs,
  )!;
  const pairing = toPairing(row);
  appendEvent(tx, {
    type: "pairing.created",
    subject: pairing.id,
    summary: `${tx.actor} created a pairing link ${pairing.id} for ${pairing.human}`,
    data: { after: { human: pairing.human, expiresAt: pairing.expiresAt } },
  });
  return pairing;
}

const NEW_LINK = {
  cli: "ask a human for a new link: baton pair --human NAME (each link works once, for a few minutes)",
  tool: "ask the human for a new pairing link (each works once, for a few minutes)",
};

/** The link's token, once, before it expires → a device with a session for the link's human. */
export function redeemPairing(tx: Tx, input: RedeemPairingInput): Device {
  const row = tx.conn.get<PairingRow>(`SELECT * FROM pairings WHERE token_hash = ?`, input.tokenHash);
  if (!row || !sameHash(row.token_hash, input.tokenHash))
    throw new BatonError("unauthorized", "this pairing link is not valid", NEW_LINK);
  if (row.used_at !== null)
    throw new BatonError("unauthorized", `this pairing link (P-${row.seq}) was already used`, NEW_LINK, {
      pairing: `P-${row.seq}`,
    });
  if (row.expires_at <= tx.now)
    throw new BatonError("unauthorized", `this pairing link (P-${row.seq}) has expired`, NEW_LINK, {
      pairing: `P-${row.seq}`,
    });
  const device = tx.conn.get<DeviceRow>(
    `INSERT INTO devices (human, name, secret_hash, paired_at, pairing) VALUES (?, ?, ?, ?, ?) RETURNING *`,
    row.human,
    input.deviceName,
    input.secretHash,
    tx.now,
    row.seq,
  )!;
  tx.conn.run(`UPDATE pairings SET used_at = ?, device = ? WHERE seq = ?`, tx.now, device.seq, row.seq);
  appendEvent(tx, {
    actor: row.human,
    type: "device.paired",
    subject: `D-${device.seq}`,
    summary: `${row.human} paired ${input.deviceName} (D-${device.seq}) with link P-${row.seq}`,
    data: { after: { human: row.human, name: input.deviceName, pairing: `P-${row.seq}` } },
  });
  return toDevice(device);
}

export function listDevices(tx: Tx): Device[] {
  return tx.conn.all<DeviceRow>(`SELECT * FROM devices ORDER BY seq`).map(toDevice);
}

export function revokeDevice(tx: Tx, input: Mutation & { id: string }): Device {
  const seq = seqOf(input.id, "D", "baton devices");
  requireHuman(tx, `revoke device D-${seq}`);
  const row = tx.conn.get<DeviceRow>(`SELECT * FROM devices WHERE seq = ?`, seq);
  if (!row) throw new BatonError("not_found", `no device D-${seq}`, "list the devices with baton devices");
  if (row.revoked_at !== null) return toDevice(row);
  const revoked = tx.conn.get<DeviceRow>(
    `UPDATE devices SET revoked_at = ?, revoked_by = ? WHERE seq = ? RETURNING *`,
    tx.now,
    tx.actor,
    seq,
  )!;
  // A revoked device hears nothing more: its push subscription goes with its session.
  tx.conn.run(`DELETE FROM push_subscriptions WHERE device = ?`, seq);
  appendEvent(tx, {
    type: "device.revoked",
    subject: `D-${seq}`,
    summary: `${tx.actor} revoked ${row.human}'s device ${row.name} (D-${seq})`,
    data: { before: { revokedAt: null }, after: { human: row.human, revokedAt: tx.now } },
  });
  return toDevice(revoked);
}

export function findLiveDevice(tx: Tx, secretHash: string): { device: Device; stale: boolean } | null {
  const row = tx.conn.get<DeviceRow>(
    `SELECT * FROM devices WHERE secret_hash = ? AND revoked_at IS NULL`,
    secretHash,
  );
  if (!row || !sameHash(row.secret_hash, secretHash)) return null;
  return { device: toDevice(row), stale: isStale(row.last_used_at, tx.now) };
}

export function recordDeviceUse(tx: Tx, input: { secretHash: string }): Device | null {
  const row = tx.conn.get<DeviceRow>(
    `UPDATE devices SET last_used_at = ? WHERE secret_hash = ? AND revoked_at IS NULL RETURNING *`,
    tx.now,
    input.secretHash,
  );
  return row ? toDevice(row) : null;
}
