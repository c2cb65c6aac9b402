import { BatonError, type Hint } from "../errors.js";
import { type DurationRange, describeRange, formatDuration } from "../util/duration.js";

/**
 * Every duration, text, list and number baton accepts has a range, and this is
 * the one place they are written. The services check them (so the CLI, the MCP
 * tools, the library and the config all get the same answer), the MCP schemas
 * quote them (so a model sees them before calling), and the store checks the
 * whole of each operation once more (src/store/sqlite/sqlite-store.ts), for a
 * caller that goes straight to the port.
 *
 * Why ranges at all: a 400-digit TTL became Infinity (a claim that never ends),
 * a hook timeout past 2^31-1 ms fired after 1 ms (Node's timers overflow), and
 * a 10 MB intent grew the database by 63 MB. A limit is a promise about what
 * baton can carry, stated before anyone relies on more.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface DurationLimit extends DurationRange {
  /** What it is, as a message names it. */
  what: string;
  /** Why these bounds. */
  why: string;
}

export const DURATIONS = {
  ttl: {
    min: 100,
    max: 7 * DAY,
    what: "a claim's or lease's TTL",
    why: "under 100 ms a claim ends before the command that took it has answered; after a week of silence the holder is gone, and a longer TTL only keeps its work locked",
  },
  wait: {
    min: 1,
    max: DAY,
    what: "a wait",
    why: "what was asked stays open, so a wait can always be resumed; a day is longer than any host keeps a call",
  },
  heartbeatInterval: {
    min: SECOND,
    max: HOUR,
    what: "heartbeat_interval",
    why: "agents are told to beat this often; more than once a second is noise, less than hourly loses claims",
  },
  silence: {
    min: SECOND,
    max: 7 * DAY,
    what: "an agent's silence before it counts as hung or offline",
    why: "as for a TTL: a week without a word means the agent is gone",
  },
  sweepInterval: {
    min: 100,
    max: HOUR,
    what: "the time between passes",
    why: "the guardian and the mirror's watch loop on it: shorter spins the CPU, longer leaves expiries unseen for hours, and Node's timers overflow past 24.8 days into a busy loop",
  },
  hookTimeout: {
    min: 100,
    max: DAY,
    what: "a hook's timeout",
    why: "a timer past 2^31-1 ms (24.8 days) fires at once and refused every completion; a gate that runs a day is stuck",
  },
  toolWait: {
    min: SECOND,
    max: HOUR,
    what: "the longest a tool call blocks",
    why: "hosts cut tool calls off (Codex after 60 s); a wait longer than the host's is a wait nobody sees end",
  },
  since: {
    min: 1,
    max: 3650 * DAY,
    what: "a look-back",
    why: "ten years is older than any hub; for a fixed point, give a date",
  },
  sla: {
    min: MINUTE,
    max: 365 * DAY,
    what: "a queue's SLA",
    why: "due dates are shown in minutes, and a task due next year has no SLA worth tracking",
  },
} as const satisfies Record<string, DurationLimit>;

export type DurationKind = keyof typeof DURATIONS;

export interface TextLimit {
  /** Characters (UTF-16 code units, as JavaScript and zod count them), after trimming. */
  max: number;
  what: string;
  /** What to do instead of writing more. */
  advice?: Hint;
}

/**
 * Free text. The largest are the task body and a plan (64 Ki characters): a
 * page of prose and a checklist; anything longer belongs in a file in the
 * repository, which every agent can read.
 */
export const TEXTS = {
  title: {
    max: 200,
    what: "a task's title",
    advice: { cli: "keep the title short and put the detail in --body", tool: "put the detail in body" },
  },
  body: {
    max: 65_536,
    what: "a task's body",
    advice: "link to a file in the repository instead of pasting it",
  },
  remark: {
    max: 16_384,
    what: "a remark",
    advice: "link to a file in the repository instead of pasting it",
  },
  result: {
    max: 2000,
    what: "a task's result",
    advice: "a sentence, a commit or a link; put findings in the report",
  },
  reason: { max: 2000, what: "a reason", advice: "say it in a few sentences; link to the detail" },
  intent: { max: 200, what: "a lease's intent", advice: "a few words: what you will do to the files" },
  workingOn: { max: 200, what: "what an agent is working on", advice: "a few words, e.g. the task id" },
  signal: {
    max: 64,
    what: "an activity's signal",
    advice: "name the source, e.g. claude:Stop or tmux:pane-dead",
  },
  activityDetail: {
    max: 500,
    what: "an activity's detail",
    advice: "a line: the tool that asks, the exit status",
  },
  message: {
    max: 16_384,
    what: "a message",
    advice: "put long text in a file in the repository and send its path",
  },
  option: { max: 200, what: "an option", advice: "keep each choice short; explain in the question" },
  action: { max: 2000, what: "an approval's action", advice: "name the action; put the detail in the plan" },
  plan: {
    max: 65_536,
    what: "a plan",
    advice: "keep the plan to what a reviewer needs; link to longer documents",
  },
  note: { max: 2000, what: "a decision's note", advice: "say it in a few sentences" },
  logSummary: { max: 2000, what: "a log entry", advice: "say it in a few sentences; link to the detail" },
  logData: {
    max: 16_384,
    what: "a log entry's data (as JSON)",
    advice: "keep the data to ids and short fields",
  },
  summaryEntry: {
    max: 16_384,
    what: "a summary entry",
    advice: "summarise; link to the detail in the repository",
  },
  role: { max: 64, what: "a role", advice: "a word or two: backend, reviewer, lead" },
  topic: { max: 200, what: "a channel's topic", advice: "one line on what the channel is for" },
  report: { max: 262_144, what: "a report (as JSON)", advice: "keep reports to the essentials" },
} as const satisfies Record<string, TextLimit>;

export type TextKind = keyof typeof TEXTS;

/** How many items a list may hold. */
export const COUNTS = {
  tags: { max: 20, what: "tags" },
  dependencies: { max: 50, what: "dependencies" },
  paths: { max: 100, what: "paths", why: "lock a folder or a glob rather than a hundred files" },
  options: { max: 20, what: "options" },
  statuses: { max: 7, what: "statuses" },
  hooks: { max: 50, what: "hooks" },
  queues: { max: 50, what: "queues" },
  summaryOrder: { max: 200, what: "names in daily_summary_order" },
  humans: { max: 50, what: "names in humans" },
  permissionRules: { max: 200, what: "rules in permissions.allow or permissions.deny" },
} as const satisfies Record<string, { max: number; what: string; why?: string }>;

export type CountKind = keyof typeof COUNTS;

/** Whole numbers. */
export const NUMBERS = {
  limit: { min: 1, max: 10_000, what: "a limit" },
  maxAttempts: { min: 1, max: 100, what: "max_attempts" },
  priority: { min: 0, max: 3, what: "a priority", advice: "0 is the highest, 3 the lowest" },
} as const satisfies Record<string, { min: number; max: number; what: string; advice?: string }>;

export type NumberKind = keyof typeof NUMBERS;

/**
 * The most a single store operation may carry, as JSON: the largest legitimate
 * one is a completion with a full report (256 Ki) and a result. Checked by the
 * store on every write, whatever face it came from.
 */
export const MAX_OPERATION_CHARS = 1_048_576;

function withRange(range: string, advice: Hint | undefined): Hint {
  if (advice === undefined) return range;
  if (typeof advice === "string") return `${range}; ${advice}`;
  return { cli: `${range}; ${advice.cli}`, tool: `${range}; ${advice.tool}` };
}

/**
 * Trims `text` and checks it against its limit; returns the trimmed text.
 * Emptiness is the caller's rule (some texts are optional, some required).
 */
export function checkText(kind: TextKind, text: string): string {
  return checkLength(kind, typeof text === "string" ? text.trim() : text);
}

/** Checks `text` as it is (a task body keeps its whitespace, so that counts too); returns it. */
export function checkLength(kind: TextKind, text: string): string {
  const limit: TextLimit = TEXTS[kind];
  if (typeof text !== "string")
    throw new BatonError("invalid_input", `${limit.what} must be text, not ${typeof text}`, "pass a string");
  if (text.length > limit.max) {
    throw new BatonError(
      "invalid_input",
      `${limit.what} is ${text.length} characters; the limit is ${limit.max}`,
      withRange(`${limit.what} is up to ${limit.max} characters`, limit.advice),
    );
  }
  return text;
}

/** An optional text: trimmed, checked, and null when empty or absent. */
export function optionalText(kind: TextKind, text: string | null | undefined): string | null {
  if (text === undefined || text === null) return null;
  return checkText(kind, text) || null;
}

/** Checks a list's length; returns the list. */
export function checkCount<T>(kind: CountKind, list: readonly T[]): readonly T[] {
  const limit = COUNTS[kind];
  if (!Array.isArray(list))
    throw new BatonError("invalid_input", `${limit.what} must be a list`, "pass an array");
  if (list.length > limit.max) {
    throw new BatonError(
      "invalid_input",
      `${list.length} ${limit.what}; the limit is ${limit.max}`,
      `give up to ${limit.max} ${limit.what}${"why" in limit ? `: ${limit.why}` : ""}`,
    );
  }
  return list;
}

/** Checks a duration given as milliseconds (the library's and the store's form); returns it rounded. */
export function checkDuration(kind: DurationKind, ms: number, name?: string): number {
  const limit = DURATIONS[kind];
  const what = name ?? limit.what;
  if (
    typeof ms !== "number" ||
    !Number.isFinite(ms) ||
    Math.round(ms) < limit.min ||
    Math.round(ms) > limit.max
  ) {
    const shown = typeof ms === "number" && Number.isFinite(ms) ? formatDuration(ms) : String(ms);
    throw new BatonError(
      "invalid_input",
      `${what} of ${shown} is out of range: it must be ${describeRange(limit)}`,
      `give ${limit.what} from ${describeRange(limit)} (in milliseconds: ${limit.min} to ${limit.max})`,
    );
  }
  return Math.round(ms);
}

/** Checks a whole number against its range; accepts the text a flag gives. */
export function checkWhole(kind: NumberKind, value: number | string, name?: string): number {
  const limit: { min: number; max: number; what: string; advice?: string } = NUMBERS[kind];
  const n = typeof value === "number" ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < limit.min || n > limit.max) {
    throw new BatonError(
      "invalid_input",
      `bad ${name ?? limit.what} '${String(value).slice(0, 40)}'`,
      `${name ?? limit.what} is a whole number from ${limit.min} to ${limit.max}${limit.advice ? ` (${limit.advice})` : ""}`,
    );
  }
  return n;
}

/**
 * The store's own check of one operation, whatever face it came from: its size
 * as JSON, and the durations it carries. The services check each field with a
 * precise message first; this is the floor under a caller that skips them.
 */
export function checkStoreInput(input: object): void {
  const size = JSON.stringify(input)?.length ?? 0;
  if (size > MAX_OPERATION_CHARS) {
    throw new BatonError(
      "invalid_input",
      `the operation carries ${size} characters; the limit is ${MAX_OPERATION_CHARS}`,
      "put long text in a file in the repository and pass its path",
    );
  }
  const fields = input as {
    ttlMs?: unknown;
    hungAfterMs?: unknown;
    offlineAfterMs?: unknown;
    slaMs?: unknown;
  };
  if (fields.ttlMs !== undefined) checkDuration("ttl", fields.ttlMs as number, "ttlMs");
  if (fields.hungAfterMs !== undefined) checkDuration("silence", fields.hungAfterMs as number, "hungAfterMs");
  if (fields.offlineAfterMs !== undefined)
    checkDuration("silence", fields.offlineAfterMs as number, "offlineAfterMs");
  if (fields.slaMs !== undefined && fields.slaMs !== null)
    checkDuration("sla", fields.slaMs as number, "slaMs");
}
