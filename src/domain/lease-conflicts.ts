import { patternsOverlap } from "./lease-pattern.js";
import type { Lease, LeaseConflict } from "./types.js";

/**
 * The other keys a lease key answers to now, as the caller's file system sees
 * them: `{"later/a.ts": ["src/a.ts"]}` once `later` became a link to `src` (a
 * key is where its path led when it was granted; a symlink made since can send
 * the same name to another file, which the lease must still cover, or two
 * agents would hold one file under two names), and `{"newdir": ["newdir/**"]}`
 * for a name with nothing there yet, which may become a folder.
 */
export type LeaseAliases = Record<string, string[]>;

/** Every key a lease key answers to: itself and its aliases. */
export function leaseKeys(path: string, aliases: LeaseAliases | undefined): string[] {
  const now = aliases?.[path] ?? [];
  return now.length === 0 ? [path] : [path, ...now.filter((key) => key !== path)];
}

/**
 * The held leases that stop a request: an exclusive request meets any
 * overlapping lease of another agent, a shared one only exclusive leases.
 */
export function leaseConflicts(
  request: { paths: string[]; exclusive: boolean; actor: string },
  held: Pick<Lease, "path" | "holder" | "intent" | "exclusive" | "expiresAt">[],
  aliases?: LeaseAliases,
): LeaseConflict[] {
  const conflicts: LeaseConflict[] = [];
  for (const path of request.paths) {
    const wanted = leaseKeys(path, aliases);
    for (const lease of held) {
      if (lease.holder === request.actor) continue;
      if (!(request.exclusive || lease.exclusive)) continue;
      const keys = leaseKeys(lease.path, aliases);
      const met = keys.find((key) => wanted.some((other) => patternsOverlap(other, key)));
      if (met === undefined) continue;
      conflicts.push({
        path,
        heldPath: lease.path,
        ...(met !== lease.path ? { heldLeadsTo: met } : {}),
        holder: lease.holder,
        intent: lease.intent,
        exclusive: lease.exclusive,
        expiresAt: lease.expiresAt,
      });
    }
  }
  return conflicts;
}
