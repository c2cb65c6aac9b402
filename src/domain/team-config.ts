import { BatonError, clip } from "../errors.js";

/**
 * The `team` section of the config: how `baton up` (and a lead agent's
 * `spawn_agent`) prepares and bounds a team. Commands are argv lists, never
 * shell strings.
 */
export interface TeamConfig {
  /** First port of the first agent's block of ten (BATON_PORT … +9). */
  portBase: number;
  /** Most agents one team may have, counting those a lead spawns. */
  maxAgents: number;
  /** What a lead agent may start through spawn_agent: host names (claude, sim) or program names. */
  allowedHosts: string[];
  /** Prepares a new worktree before its agent starts (npm ci). */
  setup: WorktreeScript | null;
  /** A long-running command beside each agent (a dev server on $BATON_PORT), in its own tmux window. */
  run: string[] | null;
  /** Runs in a worktree before `baton cleanup` removes it (its state is saved to a ref first anyway). */
  archive: WorktreeScript | null;
}

export interface WorktreeScript {
  argv: string[];
  timeoutMs: number;
}

export const TEAM_DEFAULTS = {
  portBase: 4100,
  maxAgents: 8,
  allowedHosts: ["claude", "codex", "gemini", "pi", "aider", "sim"],
} as const;

/** The bounds of the numbers in the team section, shared by the CLI options that override them. */
export const TEAM_BOUNDS = {
  portBase: { min: 1024, max: 65_000 },
  maxAgents: { min: 1, max: 64 },
} as const;

const KEYS = ["port_base", "max_agents", "allowed_hosts", "setup", "run", "archive"] as const;
const HOST_WORD = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

type Fail = (message: string, hint: string) => never;
type RefuseUnknown = (raw: Record<string, unknown>, known: readonly string[], where: string) => void;

function wholeIn(raw: unknown, key: string, bounds: { min: number; max: number }, fail: Fail): number {
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < bounds.min || raw > bounds.max)
    fail(
      `"team.${key}" must be a whole number from ${bounds.min} to ${bounds.max}`,
      `"${key}": ${bounds.min}`,
    );
  return raw;
}

function argvOf(raw: unknown, key: string, fail: Fail): string[] | null {
  if (raw === undefined || raw === null) return null;
  if (
    !Array.isArray(raw) ||
    raw.length === 0 ||
    raw.length > 100 ||
    !raw.every((part) => typeof part === "string" && part.length > 0 && part.length <= 4096)
  )
    fail(`"team.${key}" must be an argv list (no shell), e.g. ["npm", "ci"]`, `"${key}": ["npm", "ci"]`);
  return raw as string[];
}

function scriptOf(
  raw: unknown,
  key: string,
  timeout: (value: unknown) => number,
  fail: Fail,
  refuse: RefuseUnknown,
): WorktreeScript | null {
  // Either a bare argv or { "run": argv, "timeout": "10m" }.
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    const r = raw as Record<string, unknown>;
    refuse(r, ["run", "timeout"], `"team.${key}"`);
    const argv = argvOf(r.run, `${key}.run`, fail);
    return argv ? { argv, timeoutMs: timeout(r.timeout) } : null;
  }
  const argv = argvOf(raw, key, fail);
  return argv ? { argv, timeoutMs: timeout(undefined) } : null;
}

/** Validates the `team` section; `timeout` parses a script's duration (config.ts owns durations). */
export function parseTeamConfig(
  raw: unknown,
  fail: Fail,
  refuse: RefuseUnknown,
  timeout: (value: unknown, key: string) => number,
): TeamConfig {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw))
    fail('"team" must be an object', '"team": { "port_base": 4100, "max_agents": 8 }');
  const t = raw as Record<string, unknown>;
  refuse(t, KEYS, '"team"');
  let allowedHosts: string[] = [...TEAM_DEFAULTS.allowedHosts];
  if (t.allowed_hosts !== undefined && t.allowed_hosts !== null) {
    const list = t.allowed_hosts;
    if (
      !Array.isArray(list) ||
      list.length > 32 ||
      !list.every((h) => typeof h === "string" && HOST_WORD.test(h))
    )
      fail(
        '"team.allowed_hosts" must be a list of up to 32 host or program names',
        `"allowed_hosts": ["claude", "sim"]${Array.isArray(list) ? ` (not "${clip(String(list.find((h) => typeof h !== "string" || !HOST_WORD.test(h))), 40)}")` : ""}`,
      );
    allowedHosts = [...new Set(list as string[])];
  }
  return {
    portBase:
      t.port_base === undefined || t.port_base === null
        ? TEAM_DEFAULTS.portBase
        : wholeIn(t.port_base, "port_base", TEAM_BOUNDS.portBase, fail),
    maxAgents:
      t.max_agents === undefined || t.max_agents === null
        ? TEAM_DEFAULTS.maxAgents
        : wholeIn(t.max_agents, "max_agents", TEAM_BOUNDS.maxAgents, fail),
    allowedHosts,
    setup: scriptOf(t.setup, "setup", (v) => timeout(v, "team.setup.timeout"), fail, refuse),
    run: argvOf(t.run, "run", fail),
    archive: scriptOf(t.archive, "archive", (v) => timeout(v, "team.archive.timeout"), fail, refuse),
  };
}

/** A host a lead agent may not start: the hint names the config key that allows it. */
export function hostNotAllowed(host: string, config: TeamConfig): BatonError {
  return new BatonError(
    "forbidden",
    `the team's config does not let an agent start "${clip(host, 40)}" (allowed: ${config.allowedHosts.join(", ") || "none"})`,
    'a human adds it to "team.allowed_hosts" in .baton/config.json',
  );
}
