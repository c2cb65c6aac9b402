import { BatonError } from "../errors.js";
import { editDistance } from "../util/edit-distance.js";

/**
 * Agent names as people type them. A name is an identity: `cluade-1` for
 * `claude-1` would be a phantom agent that holds work nobody sees, and `Lea`
 * beside `lea` a second person. So names are compared without case, and a new
 * name too close to a known one is refused until its author says it is new.
 *
 * Names are ASCII only (validateAgentName), so there are no look-alikes from
 * other scripts (a Cyrillic `а`) and no normalisation forms to compare.
 */

/** The form names are compared in: same letters, any case. */
export function foldName(name: string): string {
  return name.toLowerCase();
}

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: `cluade` → `claude` is 1. */
export const nameDistance = editDistance;

/**
 * Whether `name` (not yet known) looks like a slip for `known`. Case-only
 * differences always do. Numbered siblings never do: `claude-2` beside
 * `claude-1`, `worker-b` beside `worker-a` are how teams name their agents.
 * Otherwise the allowed slip grows with the name: none up to 3 characters
 * (`bob`, `rob`), one up to 7 (`alcie`), two from 8 (`cluade-1x`).
 */
export function isNearMiss(name: string, known: string): boolean {
  const a = foldName(name);
  const b = foldName(known);
  if (name === known) return false;
  if (a === b) return true;
  // Only the separators differ (claude_1, claude.1, claude1 for claude-1): the same name typed another way.
  const bare = (n: string) => n.replace(/[-_.]/g, "");
  if (bare(a) === bare(b)) return true;
  // A short name with two neighbours swapped (lae for lea): one slip, however short.
  if (
    a.length === b.length &&
    a.length >= 3 &&
    nameDistance(a, b) === 1 &&
    [...a].sort().join("") === [...b].sort().join("")
  )
    return true;
  if (a.replace(/\d+/g, "#") === b.replace(/\d+/g, "#") || a.replace(/\d+/g, "") === b.replace(/\d+/g, ""))
    return false;
  if (stem(a) !== "" && stem(a) === stem(b)) return false;
  const shorter = Math.min(a.length, b.length);
  const allowed = shorter <= 3 ? 0 : shorter <= 7 ? 1 : 2;
  return nameDistance(a, b) <= allowed;
}

/** The name up to its last separator (`worker` of `worker-b`), or "" without one. */
function stem(name: string): string {
  const cut = Math.max(name.lastIndexOf("-"), name.lastIndexOf("_"), name.lastIndexOf("."));
  return cut > 0 ? name.slice(0, cut) : "";
}

/** Known names `name` may have meant, closest first: for "did you mean" when a name is unknown. */
export function suggestNames(name: string, known: readonly string[], limit = 3): string[] {
  const folded = foldName(name);
  return known
    .map((candidate) => ({ candidate, distance: nameDistance(folded, foldName(candidate)) }))
    .filter(
      ({ candidate, distance }) =>
        isNearMiss(name, candidate) || distance <= Math.max(1, Math.min(2, Math.floor(folded.length / 3))),
    )
    .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

function didYouMean(names: readonly string[]): string {
  return names.length ? ` (did you mean ${names.join(" or ")}?)` : "";
}

/** `name` differs from a known agent only in case. */
export function caseTwinError(name: string, twin: string): BatonError {
  return new BatonError(
    "not_found",
    `no agent named ${name}: the team has ${twin}, and agent names are the same whatever their case (did you mean ${twin}?)`,
    {
      cli: `use ${twin} exactly as it is written (--as ${twin})`,
      tool: `use the name ${twin}, exactly as it is written`,
    },
    { name, didYouMean: [twin] },
  );
}

/**
 * A new identity that looks like a slip for known ones: refused, so a typo in
 * `--as` or BATON_AGENT does not start a phantom agent. Joining it on purpose
 * is how its author says it is new.
 */
export function nearMissIdentityError(name: string, near: readonly string[]): BatonError {
  return new BatonError(
    "not_found",
    `${name} has not joined, and it looks like a slip for ${near.join(" or ")}${didYouMean(near)}`,
    {
      cli: `act as ${near[0]} (--as ${near[0]}); if ${name} really is a new agent, pass --new-agent once or join it: baton agent join ${name}`,
      tool: `this session's agent name looks like a typo of ${near[0]}: ask the human to fix it, or to join ${name} as a new agent`,
    },
    { name, didYouMean: near },
  );
}

/** A name that must belong to a known agent (a message's recipient, an assignee, an agent to remove) does not. */
export function unknownAgentError(name: string, known: readonly string[], newHint: NewNameHint): BatonError {
  const near = suggestNames(name, known);
  return new BatonError(
    "not_found",
    `no agent named ${name} has joined${didYouMean(near)}`,
    {
      cli: `check the name with \`baton agents\`${newHint.cli ? `; ${newHint.cli}` : ""}`,
      tool: `check the name in get_project_info's team${newHint.tool ? `; ${newHint.tool}` : ""}`,
    },
    { name, didYouMean: near },
  );
}

/** How to say "it is new" where a command allows it; empty where it does not. */
export interface NewNameHint {
  cli: string;
  tool: string;
}
