/**
 * The one error type of baton. Every failure a user can meet carries a stable
 * `code` (scripts and models branch on it), a message saying what happened and a
 * hint saying what to do next. Each face (CLI, MCP, HTTP) maps it once.
 */
export const ERROR_CODES = [
  "usage", // a command or flag was used wrongly
  "invalid_input", // a value was malformed: empty title, bad duration, bad priority
  "outside_workspace", // a path resolves outside the repository
  "dependency_cycle", // adding the dependency would close a loop
  "not_found", // unknown task, agent, lease or queue
  "conflict", // held by someone else
  "lease_lost", // the caller's claim or lease is no longer theirs
  "not_ready", // a task whose dependencies are not done
  "invalid_state", // the task's status does not allow the change
  "forbidden", // this identity may not do that (e.g. an agent approving)
  "approval_required", // a human must approve first (a plan-required task)
  "gate_failed", // a quality gate turned a completion down
  "not_a_repository", // no git repository around the working directory
  "not_initialised", // no .baton/ in the repository
  "store_corrupt", // the database file cannot be read
  "store_too_new", // the database was written by a newer baton
  "store_busy", // the database stayed locked by another process for too long
  "store_stalled", // the process holding the database's write lock is stopped (Ctrl-Z, SIGSTOP, a debugger)
  "unsupported", // a feature or backend not available in this build
  "internal", // a bug: report it
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  hint: string;
  /** The hint for a model calling baton's tools (MCP), when it differs from the CLI's. */
  toolHint?: string;
  details?: Record<string, unknown>;
}

/**
 * What to do next, worded for each face that can show it: `cli` names commands
 * and flags (`baton task list --ready`), `tool` names MCP tools and their
 * arguments (`list_tasks with ready=true`). A plain string suits both.
 */
export type Hint = string | { cli: string; tool: string };

export class BatonError extends Error {
  readonly code: ErrorCode;
  /** The hint for a person at the command line. */
  readonly hint: string;
  /** The hint for a model calling baton's tools. */
  readonly toolHint: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, hint: Hint, details?: Record<string, unknown>) {
    super(message);
    this.name = "BatonError";
    this.code = code;
    this.hint = typeof hint === "string" ? hint : hint.cli;
    this.toolHint = typeof hint === "string" ? hint : hint.tool;
    this.details = details;
  }

  toJSON(): ErrorShape {
    const shape: ErrorShape = { code: this.code, message: this.message, hint: this.hint };
    if (this.toolHint !== this.hint) shape.toolHint = this.toolHint;
    if (this.details) shape.details = this.details;
    return shape;
  }

  /** Rebuilds an error that crossed a process boundary as plain data. */
  static fromJSON(shape: ErrorShape): BatonError {
    const hint = shape.toolHint ? { cli: shape.hint, tool: shape.toolHint } : shape.hint;
    return new BatonError(shape.code, shape.message, hint, shape.details);
  }
}

/**
 * Whether a thrown value is a baton error. Checked by shape as well as class: a
 * module loaded at run time beside the CLI bundle (mcp, connect) has its own
 * copy of the class, and its errors must keep their code and hint.
 */
export function isBatonError(error: unknown): error is BatonError {
  if (error instanceof BatonError) return true;
  const e = error as { name?: unknown; code?: unknown; hint?: unknown };
  return (
    error instanceof Error &&
    e.name === "BatonError" &&
    ERROR_CODES.includes(e.code as ErrorCode) &&
    typeof e.hint === "string"
  );
}

/** Wraps anything thrown into a BatonError, keeping a BatonError as it is. */
export function toBatonError(error: unknown): BatonError {
  if (isBatonError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BatonError(
    "internal",
    `unexpected failure: ${message}`,
    "this is a bug in baton; run again with BATON_DEBUG=1 for the stack and report it",
  );
}
