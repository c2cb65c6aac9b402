import type { BatonEvent, Lease } from "../../domain/types.js";
import type { Touch } from "./overlaps.js";

/**
 * What each agent has leased, from the log: every `lease.acquired` and
 * `lease.renewed` event names its holder (the actor) and the patterns granted.
 * A lease released long ago still says the agent meant to edit those files,
 * which is what a person resolving a conflict wants to know.
 */
export function leaseTouchesFromLog(events: readonly BatonEvent[], agents: ReadonlySet<string>): Touch[] {
  const touches: Touch[] = [];
  for (const event of events) {
    if (event.type !== "lease.acquired" && event.type !== "lease.renewed") continue;
    if (!agents.has(event.actor)) continue;
    const after = Array.isArray(event.data.after) ? (event.data.after as { path?: unknown }[]) : [];
    for (const granted of after) {
      if (typeof granted?.path === "string")
        touches.push({ agent: event.actor, path: granted.path, how: "leased" });
    }
  }
  return dedupe(touches);
}

/** The leases held now, by the named agents. */
export function leaseTouchesHeld(leases: readonly Lease[], agents: ReadonlySet<string>): Touch[] {
  return dedupe(
    leases
      .filter((lease) => agents.has(lease.holder))
      .map((lease) => ({ agent: lease.holder, path: lease.path, how: "leased" as const })),
  );
}

function dedupe(touches: Touch[]): Touch[] {
  const seen = new Set<string>();
  return touches.filter((t) => {
    const key = `${t.agent}\0${t.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
