import { BatonError, clip, isBatonError } from "../errors.js";
import { validateAgentName } from "../services/identity.js";
import { didYouMean } from "../util/did-you-mean.js";
import { describeRange, parseDuration } from "../util/duration.js";
import { type CostConfig, parseCostConfig } from "./cost-config.js";
import { checkCount, checkWhole, DURATIONS, type DurationKind, NUMBERS, TEXTS } from "./limits.js";
import type { PermissionRule, PermissionsConfig } from "./permission-rules.js";
import { parseTeamConfig, TEAM_BOUNDS, TEAM_DEFAULTS, type TeamConfig } from "./team-config.js";

/**
 * The team's rules, from `.baton/config.json` (JSON with comments). This module
 * only validates and normalises; reading the file is the workspace's job.
 */

export type ClaimPolicy = "open" | "handler-only";

export interface QueueConfig {
  name: string;
  /** Task id prefix: `T` gives T-1, T-2 ... */
  prefix: string;
  /** Role that handles the queue, if any. */
  handler: string | null;
  slaMinutes: number | null;
  claimPolicy: ClaimPolicy;
}

export interface HookConfig {
  /** The event type that triggers it: task.completed, question.asked, agent.idle ... */
  on: string;
  /** The command as an argv array: never a shell string. */
  run: string[];
  timeoutMs: number;
  /** A gate on task.completed turns the completion down when it exits non-zero. */
  gate: boolean;
}

/** Events hooks may name; a gate may only be on task.completed. */
export const HOOK_EVENTS = [
  "task.added",
  "task.claimed",
  "task.completed",
  "task.failed",
  "task.released",
  "task.escalated",
  "question.asked",
  "question.answered",
  "approval.requested",
  "approval.decided",
  "message.sent",
  "agent.idle",
] as const;

export interface BatonConfig {
  queues: Record<string, QueueConfig>;
  defaultQueue: string;
  claimTtlMs: number;
  leaseTtlMs: number;
  heartbeatIntervalMs: number;
  hungAfterMs: number;
  offlineAfterMs: number;
  maxAttempts: number;
  guardianIntervalMs: number;
  hooks: HookConfig[];
  /** Agents whose summary entries come first in the daily report, in this order. */
  dailySummaryOrder: string[];
  /**
   * The people of the team: the only names that may join as kind human, decide
   * approvals, answer questions, resolve escalations, make keys and pair devices.
   * Named in the committed file, so a change shows in review, not in an agent's shell.
   */
  humans: string[];
  /** Standing answers to a headless agent's permission requests (baton work --agent claude). */
  permissions: PermissionsConfig;
  /** How `baton up` and a lead agent's spawn_agent prepare and bound a team. */
  team: TeamConfig;
  /** Token prices and the caps that stop an agent's work. */
  costs: CostConfig;
}

const PREFIX = /^[A-Z][A-Z0-9]{0,9}$/;
const QUEUE_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

export const DEFAULT_CONFIG_TEXT = `{
  // baton's rules for this repository. Commit this file; the database beside it stays local.
  // Durations are written like 30s, 15m, 1h30m; each key says its range. A key baton does not
  // know is refused, with the one you probably meant.

  // Queues: a task belongs to one. "prefix" makes its ids (T-1, REQ-4), "handler" names the
  // role that handles it, "sla_minutes" how soon a task should be done once added (null: none;
  // ${DURATIONS.sla.min / 60_000} to ${DURATIONS.sla.max / 60_000}),
  // "claim_policy" is "open" (anyone may claim) or "handler-only".
  // mai-cli's names are accepted too: "owner" for handler, "sla_hours" for sla_minutes.
  "queues": {
    "tasks": { "prefix": "T", "handler": null, "sla_minutes": null, "claim_policy": "open" }
  },
  // Where \`baton task add\` puts a task when no --queue is given.
  "default_queue": "tasks",

  // A claim is a lease: the holder's heartbeat renews it; when the holder goes silent this long,
  // the task goes back to the queue and the attempt is counted. ${describeRange(DURATIONS.ttl)}.
  "claim_ttl": "15m",
  // Default time-to-live of a file lease (baton lock --ttl overrides it). ${describeRange(DURATIONS.ttl)}.
  "lease_ttl": "15m",
  // How often agents are expected to run \`baton heartbeat\`. ${describeRange(DURATIONS.heartbeatInterval)}.
  "heartbeat_interval": "1m",
  // Silence after which an agent holding work is shown as hung, and one holding nothing as
  // offline. ${describeRange(DURATIONS.silence)}.
  "hung_after": "5m",
  "offline_after": "10m",
  // Attempts (failures or expiries) before a task is failed for good, or marked dead.
  // ${NUMBERS.maxAttempts.min} to ${NUMBERS.maxAttempts.max}.
  "max_attempts": 3,
  // How often \`baton guardian\` sweeps expired claims and leases. ${describeRange(DURATIONS.sweepInterval)}.
  "guardian_interval": "10s",

  // Commands run on events, with the event as JSON on stdin: "run" is an argv list (no shell),
  // "timeout" (${describeRange(DURATIONS.hookTimeout)}, default 60s) stops a hook that hangs. A "gate" on task.completed that exits non-zero turns the
  // completion down; its output becomes a remark for the task's holder. Events: task.added,
  // task.claimed, task.completed, task.failed, task.released, task.escalated, question.asked,
  // question.answered, approval.requested, approval.decided, message.sent, agent.idle.
  // Example: { "on": "task.completed", "run": ["npm", "test"], "timeout": "10m", "gate": true }
  "hooks": [],

  // Whose entries come first in the daily summary (baton summary collect), in this order.
  "daily_summary_order": [],

  // The people on the team, by the names they act as (baton --as NAME). Only these may join as
  // a human (baton agent join NAME --kind human), decide approvals, answer questions, resolve
  // escalations, make keys for the hub server and pair devices. An agent cannot add itself here
  // without the change showing in the repository. Example: ["lea"]
  "humans": [],

  // What \`baton work --agent claude\` answers when Claude Code asks permission to use a tool. A
  // "deny" rule that matches refuses at once, then an "allow" rule that matches permits at once;
  // any other request becomes an approval (baton approvals) that a human approves or rejects.
  // "tool" is a tool name (Bash, Edit, Write, WebFetch, mcp__server__tool) or "*"; "input" is an
  // optional pattern (* any text, ? one character) on the tool's command, file path or URL. An
  // allow pattern never matches a command that joins or redirects (;, &&, |, >, $( ...); a deny
  // pattern is tried on each part too. "approval_timeout" (${describeRange(DURATIONS.wait)}):
  // a request no human decided by then is denied, the run is stopped and its task failed.
  // Example: { "allow": [{ "tool": "Bash", "input": "npm test*" }], "deny": [{ "tool": "WebFetch" }] }
  "permissions": { "allow": [], "deny": [], "approval_timeout": "10m" },

  // baton up: "port_base" is the first port handed out; each agent gets a block of ten
  // (BATON_PORT to BATON_PORT+9, ${TEAM_BOUNDS.portBase.min} to ${TEAM_BOUNDS.portBase.max}). "max_agents" (${TEAM_BOUNDS.maxAgents.min} to ${TEAM_BOUNDS.maxAgents.max}) bounds a team, counting
  // the teammates a lead agent starts with spawn_agent; "allowed_hosts" lists what spawn_agent
  // may start. Scripts are argv lists (no shell), run in the agent's worktree with BATON_AGENT and
  // BATON_PORT: "setup" before the agent starts (["npm", "ci"], or { "run": [...], "timeout": "20m" }),
  // "run" in its own window beside the agent for as long as it runs (a dev server on $BATON_PORT),
  // "archive" before baton cleanup removes the worktree. null: none.
  "team": {
    "port_base": ${TEAM_DEFAULTS.portBase},
    "max_agents": ${TEAM_DEFAULTS.maxAgents},
    "allowed_hosts": [${TEAM_DEFAULTS.allowedHosts.map((h) => `"${h}"`).join(", ")}],
    "setup": null,
    "run": null,
    "archive": null
  },

  // What agents cost. Headless Claude Code and pi report dollars; Codex, Gemini and interactive
  // Claude Code (its transcript) report tokens, priced here in USD per million tokens by model
  // name, the longest name a model starts with, or host (a cost from this table is marked
  // estimated). A cap stops an agent's work on a task (task_cap_usd) or all of it (agent_cap_usd)
  // and asks a human; null: no cap.
  "costs": {
    "prices": {
      "claude-opus": { "input": 5, "output": 25, "cached_input": 0.5 },
      "claude-sonnet": { "input": 3, "output": 15, "cached_input": 0.3 },
      "claude-haiku": { "input": 1, "output": 5, "cached_input": 0.1 },
      "codex": { "input": 1.25, "output": 10, "cached_input": 0.125 },
      "gemini": { "input": 1.25, "output": 10, "cached_input": 0.31 }
    },
    "task_cap_usd": null,
    "agent_cap_usd": null
  }
}
`;

const WHERE = ".baton/config.json";

function fail(message: string, hint: string): never {
  throw new BatonError("invalid_input", `${WHERE}: ${message}`, hint);
}

/** Runs a shared check, saying in its message that the value came from the config file. */
function inConfig<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!isBatonError(error) || error.message.startsWith(WHERE)) throw error;
    throw new BatonError(error.code, `${WHERE}: ${error.message}`, error.hint, error.details);
  }
}

/**
 * Refuses keys the config does not have, naming the one meant. A misspelt key
 * (`claim_tll`) would otherwise leave the default in force while the team
 * believes its own value is: every key here changes how claims, leases and
 * gates behave, so a typo must be loud, not a warning scrolled past.
 */
function refuseUnknownKeys(raw: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(raw)) {
    if (known.includes(key) || key === "$schema") continue;
    const meant = didYouMean(key, known);
    fail(
      `${where} has no key "${clip(key, 40)}"${meant ? ` (did you mean "${meant}"?)` : ""}`,
      meant
        ? `rename it to "${meant}"`
        : `the keys are: ${known.join(", ")} (a key from a newer baton needs that version)`,
    );
  }
}

const TOP_KEYS = [
  "queues",
  "default_queue",
  "claim_ttl",
  "lease_ttl",
  "heartbeat_interval",
  "hung_after",
  "offline_after",
  "max_attempts",
  "guardian_interval",
  "hooks",
  "daily_summary_order",
  "humans",
  "permissions",
  "team",
  "costs",
] as const;
const QUEUE_KEYS = ["prefix", "handler", "owner", "sla_minutes", "sla_hours", "claim_policy"] as const;
const HOOK_KEYS = ["on", "run", "timeout", "gate"] as const;
const PERMISSION_KEYS = ["allow", "deny", "approval_timeout"] as const;
const RULE_KEYS = ["tool", "input"] as const;

function durationField(
  raw: Record<string, unknown>,
  key: string,
  fallback: string,
  kind: DurationKind,
  label = key,
): number {
  const value = raw[key] ?? fallback;
  if (typeof value !== "string" && typeof value !== "number")
    fail(
      `"${label}" must be a duration`,
      `write one from ${describeRange(DURATIONS[kind])}, e.g. "${fallback}"`,
    );
  return parseDuration(String(value), `"${label}" in ${WHERE}`, DURATIONS[kind]);
}

function parseQueue(name: string, raw: unknown): QueueConfig {
  if (!QUEUE_NAME.test(name)) {
    fail(
      `bad queue name "${clip(name, 40)}"`,
      'queue names are lowercase letters, digits, _ and -, e.g. "bugs"',
    );
  }
  if (typeof raw !== "object" || raw === null) fail(`queue "${name}" must be an object`, '{ "prefix": "T" }');
  if (Array.isArray(raw)) fail(`queue "${name}" must be an object`, '{ "prefix": "T" }');
  const q = raw as Record<string, unknown>;
  refuseUnknownKeys(q, QUEUE_KEYS, `queue "${name}"`);
  const prefix = String(q.prefix ?? name.slice(0, 3).toUpperCase());
  if (!PREFIX.test(prefix)) {
    fail(
      `queue "${name}" has a bad prefix "${clip(prefix, 20)}"`,
      "a prefix is 1-10 capital letters or digits, starting with a letter",
    );
  }
  // mai-cli named the handler `owner` and measured SLAs in hours.
  const handler = q.handler ?? q.owner ?? null;
  if (handler !== null && (typeof handler !== "string" || handler.length > TEXTS.role.max))
    fail(
      `queue "${name}": handler must be a role name of up to ${TEXTS.role.max} characters`,
      '"handler": "reviewer"',
    );
  let slaMinutes: number | null = null;
  if (q.sla_minutes !== undefined && q.sla_minutes !== null) slaMinutes = Number(q.sla_minutes);
  else if (q.sla_hours !== undefined && q.sla_hours !== null) slaMinutes = Number(q.sla_hours) * 60;
  const sla = DURATIONS.sla;
  if (slaMinutes !== null && !(slaMinutes * 60_000 >= sla.min && slaMinutes * 60_000 <= sla.max)) {
    fail(
      `queue "${name}": its SLA must be ${describeRange(sla)}`,
      `"sla_minutes" from ${sla.min / 60_000} to ${sla.max / 60_000} (or "sla_hours" from ${sla.min / 3_600_000} to ${sla.max / 3_600_000}), e.g. "sla_minutes": 120`,
    );
  }
  const policy = q.claim_policy ?? "open";
  if (policy !== "open" && policy !== "handler-only") {
    fail(`queue "${name}": claim_policy must be "open" or "handler-only"`, '"claim_policy": "open"');
  }
  return { name, prefix, handler, slaMinutes, claimPolicy: policy };
}

/** Validates parsed config JSON, filling defaults, accepting mai-cli's legacy names. */
export function normaliseConfig(raw: unknown): BatonConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    fail("the file must hold one JSON object", "run `baton init --force` to write a fresh one");
  }
  const r = raw as Record<string, unknown>;
  refuseUnknownKeys(r, TOP_KEYS, "the config");
  const rawQueues = r.queues ?? { tasks: { prefix: "T" } };
  if (typeof rawQueues !== "object" || rawQueues === null || Array.isArray(rawQueues))
    fail('"queues" must be an object', '"queues": { "tasks": { "prefix": "T" } }');
  const queues: Record<string, QueueConfig> = {};
  const prefixes = new Map<string, string>();
  inConfig(() => checkCount("queues", Object.keys(rawQueues)));
  for (const [name, value] of Object.entries(rawQueues)) {
    const queue = parseQueue(name, value);
    const clash = prefixes.get(queue.prefix);
    if (clash)
      fail(
        `queues "${clash}" and "${name}" share the prefix "${queue.prefix}"`,
        "give each queue its own prefix",
      );
    prefixes.set(queue.prefix, name);
    queues[name] = queue;
  }
  const names = Object.keys(queues);
  if (names.length === 0) fail("no queues are defined", '"queues": { "tasks": { "prefix": "T" } }');
  const defaultQueue = String(r.default_queue ?? names[0]);
  if (!Object.hasOwn(queues, defaultQueue))
    fail(`default_queue "${clip(defaultQueue, 40)}" is not a queue`, `use one of: ${names.join(", ")}`);
  const rawAttempts = r.max_attempts ?? 3;
  if (typeof rawAttempts !== "number") fail('"max_attempts" must be a number', '"max_attempts": 3');
  const maxAttempts = inConfig(() => checkWhole("maxAttempts", rawAttempts, '"max_attempts"'));
  return {
    queues,
    defaultQueue,
    claimTtlMs: durationField(r, "claim_ttl", "15m", "ttl"),
    leaseTtlMs: durationField(r, "lease_ttl", "15m", "ttl"),
    heartbeatIntervalMs: durationField(r, "heartbeat_interval", "1m", "heartbeatInterval"),
    hungAfterMs: durationField(r, "hung_after", "5m", "silence"),
    offlineAfterMs: durationField(r, "offline_after", "10m", "silence"),
    maxAttempts,
    guardianIntervalMs: durationField(r, "guardian_interval", "10s", "sweepInterval"),
    hooks: parseHooks(r.hooks),
    dailySummaryOrder: parseNameList(r.daily_summary_order, "daily_summary_order"),
    humans: parseHumans(r.humans),
    permissions: parsePermissions(r.permissions),
    team: parseTeamConfig(r.team, fail, refuseUnknownKeys, (value, key) =>
      durationField({ t: value ?? undefined }, "t", "10m", "hookTimeout", key),
    ),
    costs: parseCostConfig(r.costs, fail, refuseUnknownKeys),
  };
}

/** Valid agent names, each once whatever its case (the store would take `Lea` and `lea` for one person). */
function parseHumans(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || !raw.every((name) => typeof name === "string"))
    fail('"humans" must be a list of names', '"humans": ["lea"]');
  inConfig(() => checkCount("humans", raw));
  const seen = new Map<string, string>();
  return raw.map((name: string) => {
    const valid = inConfig(() => validateAgentName(name));
    const twin = seen.get(valid.toLowerCase());
    if (twin) fail(`"humans" names ${twin} twice`, "name each person once");
    seen.set(valid.toLowerCase(), valid);
    return valid;
  });
}

/** Whether `name` is one of the team's humans, as the config names them. */
export function isConfiguredHuman(config: BatonConfig, name: string): boolean {
  return config.humans.includes(name);
}

/**
 * The refusal for a human-only act by a name the config does not list: the hint
 * says how a person is named (a human edits the committed file; an agent cannot
 * do it unseen).
 */
export function notAHumanError(name: string, what: string, config: BatonConfig): BatonError {
  const listed = config.humans.length ? ` (it names ${config.humans.join(", ")})` : " (it names nobody yet)";
  return new BatonError(
    "forbidden",
    `${name} is not one of the humans in ${WHERE}${listed}; only a human may ${what}`,
    {
      cli: `a person adds their name to "humans" in ${WHERE} (or runs baton init --human NAME) and acts as that name`,
      tool: "this is for a human to do: ask them (chat_with_human or request_approval); an agent cannot act as one",
    },
    { actor: name, humans: config.humans },
  );
}

function parseNameList(raw: unknown, key: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || !raw.every((name) => typeof name === "string" && name.length <= 64))
    fail(
      `"${key}" must be a list of agent names (up to 64 characters each)`,
      `"${key}": ["lead", "backend"]`,
    );
  inConfig(() => checkCount("summaryOrder", raw));
  return raw as string[];
}

function parseHooks(raw: unknown): HookConfig[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    fail(
      '"hooks" must be a list',
      '"hooks": [{ "on": "task.completed", "run": ["npm", "test"], "gate": true }]',
    );
  inConfig(() => checkCount("hooks", raw));
  return raw.map((item: unknown, i: number) => {
    const where = `hooks[${i}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item))
      fail(`${where} must be an object`, '{ "on": "task.completed", "run": ["npm", "test"] }');
    const h = item as Record<string, unknown>;
    refuseUnknownKeys(h, HOOK_KEYS, where);
    if (typeof h.on !== "string" || !HOOK_EVENTS.includes(h.on as (typeof HOOK_EVENTS)[number])) {
      fail(`${where}.on must be one of ${HOOK_EVENTS.join(", ")}`, '"on": "task.completed"');
    }
    if (
      !Array.isArray(h.run) ||
      h.run.length === 0 ||
      !h.run.every((part) => typeof part === "string" && part.length > 0)
    ) {
      fail(`${where}.run must be a non-empty list of strings (argv, no shell)`, '"run": ["npm", "test"]');
    }
    const gate = h.gate === true;
    if (gate && h.on !== "task.completed")
      fail(
        `${where}: only a hook on task.completed can be a gate`,
        'drop "gate", or put it on task.completed',
      );
    return {
      on: h.on,
      run: h.run as string[],
      timeoutMs: durationField(h, "timeout", "60s", "hookTimeout", `${where}.timeout`),
      gate,
    };
  });
}

const RULE_EXAMPLE = '{ "tool": "Bash", "input": "npm test*" }';

function parsePermissions(raw: unknown): PermissionsConfig {
  const example = '"permissions": { "allow": [{ "tool": "Read" }], "deny": [], "approval_timeout": "10m" }';
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) fail('"permissions" must be an object', example);
  const p = raw as Record<string, unknown>;
  refuseUnknownKeys(p, PERMISSION_KEYS, '"permissions"');
  return {
    allow: parseRules(p.allow, "allow"),
    deny: parseRules(p.deny, "deny"),
    approvalTimeoutMs: durationField(p, "approval_timeout", "10m", "wait", "permissions.approval_timeout"),
  };
}

function parseRules(raw: unknown, key: "allow" | "deny"): PermissionRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    fail(`"permissions.${key}" must be a list of rules`, `"${key}": [${RULE_EXAMPLE}]`);
  inConfig(() => checkCount("permissionRules", raw));
  return raw.map((item: unknown, i: number) => {
    const where = `permissions.${key}[${i}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item))
      fail(`${where} must be an object`, RULE_EXAMPLE);
    const rule = item as Record<string, unknown>;
    refuseUnknownKeys(rule, RULE_KEYS, where);
    if (typeof rule.tool !== "string" || !/^(\*|[A-Za-z][A-Za-z0-9_.-]{0,127})$/.test(rule.tool))
      fail(`${where}.tool must be a tool name (Bash, Edit, mcp__server__tool) or "*"`, RULE_EXAMPLE);
    const input = rule.input ?? null;
    if (input !== null && (typeof input !== "string" || input.length === 0 || input.length > 1000))
      fail(`${where}.input must be a pattern of 1 to 1000 characters`, '"input": "npm test*"');
    return { tool: rule.tool, input };
  });
}

export function queueFor(config: BatonConfig, name: string | undefined): QueueConfig {
  const key = name ?? config.defaultQueue;
  // Own keys only: "constructor" is a valid queue name and every object inherits one.
  const queue = Object.hasOwn(config.queues, key) ? config.queues[key] : undefined;
  if (!queue) {
    const here = Object.keys(config.queues).join(", ");
    throw new BatonError("not_found", `unknown queue '${clip(String(name))}'`, {
      cli: `queues here: ${here}; add one with baton queue add ${name === undefined ? "NAME" : clip(String(name))} --prefix PREFIX`,
      tool: `queues here: ${here}`,
    });
  }
  return queue;
}

/** The queue whose prefix a task id carries, if any. */
export function queueForTaskId(config: BatonConfig, id: string): QueueConfig | undefined {
  const prefix = id.slice(0, id.lastIndexOf("-"));
  return Object.values(config.queues).find((queue) => queue.prefix === prefix);
}
