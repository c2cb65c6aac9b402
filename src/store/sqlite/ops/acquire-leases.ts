import { leaseConflicts } from "../../../domain/lease-conflicts.js";
import type { Lease } from "../../../domain/types.js";
import type { AcquireLeasesInput, AcquireResult } from "../../port.js";
import { type LeaseRow, toLease } from "../rows.js";
import { appendEvent, nextToken, sweepExpiredLeases, type Tx, touchActor } from "../tx.js";

/**
 * All or nothing: every requested pattern is checked against every live lease
 * of other agents, under its stored key and under where that key leads now
 * (`input.aliases`); if any conflicts, nothing is granted. Re-locking a pattern
 * the actor already holds renews it and keeps its token, unless it changes
 * from shared to exclusive, which is a new grant.
 */
export function acquireLeases(tx: Tx, input: AcquireLeasesInput): AcquireResult {
  touchActor(tx);
  sweepExpiredLeases(tx);
  const paths = [...new Set(input.paths)];
  const others = tx.conn.all<LeaseRow>(`SELECT * FROM leases WHERE holder <> ?`, tx.actor).map(toLease);
  const conflicts = leaseConflicts(
    { paths, exclusive: input.exclusive, actor: tx.actor },
    others,
    input.aliases,
  );
  if (conflicts.length > 0) return { granted: [], conflicts };

  const expiresAt = tx.now + input.ttlMs;
  const intent = input.intent ?? null;
  const granted: Lease[] = [];
  const fresh: Lease[] = [];
  // Every fresh grant of this call shares one token: the seq of the event below.
  const newToken = nextToken(tx);
  for (const path of paths) {
    const mine = tx.conn.get<LeaseRow>(`SELECT * FROM leases WHERE path = ? AND holder = ?`, path, tx.actor);
    const renew = mine !== undefined && (mine.exclusive === 1 || !input.exclusive);
    const token = renew ? mine.token : newToken;
    const exclusive = renew ? mine.exclusive === 1 : input.exclusive;
    const acquiredAt = renew ? mine.acquired_at : tx.now;
    tx.conn.run(
      `INSERT INTO leases (path, holder, exclusive, intent, token, acquired_at, expires_at, ttl_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (path, holder) DO UPDATE SET exclusive = excluded.exclusive, intent = excluded.intent,
         token = excluded.token, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at, ttl_ms = excluded.ttl_ms`,
      path,
      tx.actor,
      exclusive ? 1 : 0,
      intent,
      token,
      acquiredAt,
      expiresAt,
      input.ttlMs,
    );
    const lease: Lease = {
      path,
      holder: tx.actor,
      exclusive,
      intent,
      token,
      acquiredAt,
      expiresAt,
      ttlMs: input.ttlMs,
    };
    granted.push(lease);
    if (!renew) fresh.push(lease);
  }
  appendEvent(tx, {
    seq: fresh.length > 0 ? newToken : undefined,
    type: fresh.length > 0 ? "lease.acquired" : "lease.renewed",
    subject: paths.length === 1 ? paths[0]! : null,
    summary: `${tx.actor} ${fresh.length > 0 ? "locked" : "renewed"} ${paths.join(", ")}${intent ? ` to ${intent}` : ""}`,
    data: {
      after: granted.map((lease) => ({
        path: lease.path,
        token: lease.token,
        exclusive: lease.exclusive,
        expiresAt: lease.expiresAt,
        fresh: fresh.includes(lease),
      })),
      intent,
    },
  });
  return { granted, conflicts: [] };
}
