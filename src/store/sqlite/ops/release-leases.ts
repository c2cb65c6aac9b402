import type { Lease } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import type { ForceReleaseLeasesInput, ReleaseLeasesInput } from "../../port.js";
import { type LeaseRow, toLease } from "../rows.js";
import { appendEvent, recordLoss, sweepExpiredLeases, type Tx, touchActor } from "../tx.js";

function releasedData(leases: Lease[]) {
  return { before: leases.map((l) => ({ path: l.path, holder: l.holder, token: l.token })), after: null };
}

/**
 * Releases the actor's own leases; all named paths must still be held, or nothing changes.
 * With `ifHeld` and no token, paths the actor does not hold are skipped instead.
 */
export function releaseLeases(tx: Tx, input: ReleaseLeasesInput): Lease[] {
  touchActor(tx);
  sweepExpiredLeases(tx);
  const skipUnheld = input.ifHeld === true && input.token === undefined;
  const rowOf = (path: string) =>
    tx.conn.get<LeaseRow>(`SELECT * FROM leases WHERE path = ? AND holder = ?`, path, tx.actor);
  const paths = [...new Set(input.paths)].filter((path) => !skipUnheld || rowOf(path));
  if (paths.length === 0) return [];
  const held = paths.map((path) => {
    const row = rowOf(path);
    if (!row || (input.token !== undefined && row.token !== input.token)) {
      const holders = tx.conn.all<{ holder: string }>(`SELECT holder FROM leases WHERE path = ?`, path);
      throw new BatonError(
        "lease_lost",
        row
          ? `${path}: token ${input.token} is not your current lease (it is ${row.token})`
          : `${tx.actor} holds no lease on ${path}${holders.length ? ` (held by ${holders.map((h) => h.holder).join(", ")})` : ""}`,
        {
          cli: "it expired or was released; see `baton locks`, and lock it again before editing",
          tool: "it expired or was released; see check_files, and lock_files again before editing",
        },
        { path },
      );
    }
    return toLease(row);
  });
  for (const lease of held)
    tx.conn.run(`DELETE FROM leases WHERE path = ? AND holder = ?`, lease.path, tx.actor);
  appendEvent(tx, {
    type: "lease.released",
    subject: paths.length === 1 ? paths[0]! : null,
    summary: `${tx.actor} unlocked ${paths.join(", ")}`,
    data: releasedData(held),
  });
  return held;
}

/** Releases every lease on the named patterns, whoever holds them. Recorded in the log. */
export function forceReleaseLeases(tx: Tx, input: ForceReleaseLeasesInput): Lease[] {
  touchActor(tx);
  sweepExpiredLeases(tx);
  if (input.tokens) {
    const seen = new Set(input.tokens);
    for (const path of new Set(input.paths)) {
      const unseen = tx.conn
        .all<LeaseRow>(`SELECT * FROM leases WHERE path = ?`, path)
        .find((row) => !seen.has(row.token));
      if (unseen) {
        throw new BatonError(
          "conflict",
          `${path} changed since you looked: ${unseen.holder} holds it now (token ${unseen.token})`,
          "nothing was released; look again at who holds it and decide on that",
          { path, holder: unseen.holder, token: unseen.token },
        );
      }
    }
  }
  const released: Lease[] = [];
  for (const path of new Set(input.paths)) {
    const rows = tx.conn.all<LeaseRow>(`DELETE FROM leases WHERE path = ? RETURNING *`, path);
    released.push(...rows.map(toLease));
  }
  if (released.length === 0) {
    throw new BatonError("not_found", `no lease on ${input.paths.join(", ")}`, {
      cli: "see the live leases with `baton locks`",
      tool: "see who holds what with check_files; your leases end by themselves when you stop renewing them",
    });
  }
  const event = appendEvent(tx, {
    type: "lease.force_released",
    subject: input.paths.length === 1 ? input.paths[0]! : null,
    summary: `${tx.actor} force-released ${released.map((l) => `${l.path} (held by ${l.holder})`).join(", ")}`,
    data: releasedData(released),
  });
  // Each holder's next heartbeat tells it (not the one who forced it, who knows).
  for (const lease of released.filter((l) => l.holder !== tx.actor))
    recordLoss(tx, lease.holder, {
      event,
      kind: "lease",
      subject: lease.path,
      token: lease.token,
      reason: "force_released",
    });
  return released;
}
