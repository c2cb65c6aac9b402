import { editDistance } from "./edit-distance.js";

/**
 * The name a typo most likely meant: `claim_tll` → `claim_ttl`. Within two
 * edits (a swap of two letters counts as one), or a name that starts the same
 * way; undefined when nothing is close.
 */
export function didYouMean(typed: string, names: readonly string[]): string | undefined {
  if (typed.length > 64) return undefined;
  const t = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(t, name.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? names.find((name) => t.length >= 4 && name.startsWith(t));
}
