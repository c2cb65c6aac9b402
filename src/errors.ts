/**
 * The one error type of baton. Every failure a user can meet carries a stable
 * `code` (scripts and models branch on it), a message saying what happened and a
 * hint saying what to do next. Each face (CLI, MCP, HTTP) maps it once, through
 * the table below.
 */

/**
 * Process exit codes, what scripts branch on. Each error code maps to one in
 * ERRORS; `baton --help` and the README list them from there (a test checks).
 */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  conflict: 3,
  notFound: 4,
  timeout: 5,
  forbidden: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each exit code means, in the words `baton --help` shows. */
export const EXIT_MEANINGS: Record<ExitCode, string> = {
  0: "ok",
  1: "failed: a state that does not allow it, a gate, the store or disk (full, read-only, damaged), or a bug",
  2: "usage or bad input",
  3: "conflict (held by another, lease_lost, approval required or rejected)",
  4: "not found",
  5: "timed out (a --wait that saw nothing arrive, or the store is held by a stopped process)",
  6: "forbidden (this identity may not do that, e.g. an agent approving)",
};

interface ErrorEntry {
  /** The process exit code of the CLI. */
  exit: ExitCode;
  /** The HTTP status of the hub server's API. */
  http: number;
}

/**
 * Every error code, what it means, and how each face shows it. A `Record` over
 * the codes: a new code without an exit code and an HTTP status does not
 * compile, so nothing falls to a generic failure by accident.
 */
export const ERRORS = {
  usage: { exit: EXIT.usage, http: 400 }, // a command or flag was used wrongly
  invalid_input: { exit: EXIT.usage, http: 400 }, // a value was malformed or out of its range
  outside_workspace: { exit: EXIT.usage, http: 400 }, // a path resolves outside the repository
  dependency_cycle: { exit: EXIT.usage, http: 409 }, // adding the dependency would close a loop
  not_found: { exit: EXIT.notFound, http: 404 }, // unknown task, agent, lease, queue or file
  conflict: { exit: EXIT.conflict, http: 409 }, // held by someone else
  lease_lost: { exit: EXIT.conflict, http: 409 }, // the caller's claim or lease is no longer theirs
  not_ready: { exit: EXIT.error, http: 409 }, // a task whose dependencies are not done
  invalid_state: { exit: EXIT.error, http: 409 }, // the task's status does not allow the change
  forbidden: { exit: EXIT.forbidden, http: 403 }, // this identity may not do that (e.g. an agent approving)
  unauthorized: { exit: EXIT.forbidden, http: 401 }, // no credentials, or a key or session that is unknown, revoked or expired
  rate_limited: { exit: EXIT.error, http: 429 }, // too many requests from one key: wait (Retry-After) and try again
  too_large: { exit: EXIT.usage, http: 413 }, // a request body over the server's limit
  method_not_allowed: { exit: EXIT.usage, http: 405 }, // the hub server's route exists, but not for this HTTP method
  unsupported_media_type: { exit: EXIT.usage, http: 415 }, // a request body that is not JSON (Content-Type)
  approval_required: { exit: EXIT.conflict, http: 409 }, // a human must approve first (a plan-required task)
  gate_failed: { exit: EXIT.error, http: 422 }, // a quality gate turned a completion down
  not_a_repository: { exit: EXIT.error, http: 500 }, // no git repository around the working directory
  not_initialised: { exit: EXIT.error, http: 503 }, // no .baton/ in the repository
  store_corrupt: { exit: EXIT.error, http: 500 }, // the database is not one, or a page of it is damaged
  store_too_new: { exit: EXIT.error, http: 500 }, // the database was written by a newer baton
  store_busy: { exit: EXIT.error, http: 503 }, // the database stayed locked by another process for too long
  store_stalled: { exit: EXIT.timeout, http: 503 }, // the process holding the write lock is stopped (Ctrl-Z, SIGSTOP, a debugger): waiting cannot help
  store_full: { exit: EXIT.error, http: 507 }, // no space left on the disk baton writes to
  store_read_only: { exit: EXIT.error, http: 503 }, // baton may not write its database or files (permissions, read-only disk)
  store_io: { exit: EXIT.error, http: 500 }, // the disk failed a read or write (I/O error)
  unsupported: { exit: EXIT.error, http: 501 }, // a feature or backend not available in this build
  connection_lost: { exit: EXIT.error, http: 502 }, // the peer's pipe or connection broke (an MCP host closed baton mcp's stdout)
  internal: { exit: EXIT.error, http: 500 }, // a bug: report it
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

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

/**
 * A failure of the machine rather than of baton: a full disk, a file or folder
 * baton may not write, a disk that fails. Node's file errors carry the path, so
 * the message says where; anything else is left for the caller.
 */
export function environmentError(error: unknown): BatonError | undefined {
  const { code, path, syscall } = (error ?? {}) as { code?: unknown; path?: unknown; syscall?: unknown };
  const where = typeof path === "string" ? ` ${path}` : "";
  const doing = typeof syscall === "string" ? `${syscall}${where}` : `write${where}`;
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return new BatonError(
        "store_full",
        `no space left on the disk: could not ${doing} (${code})`,
        "free space on that disk (df -h shows how much is left), then run it again; what was saved before is kept",
      );
    case "EROFS":
    case "EACCES":
    case "EPERM":
      return new BatonError(
        "store_read_only",
        `baton may not ${doing} (${code})`,
        code === "EROFS"
          ? "the disk is mounted read-only: remount it read-write, or keep baton's files on a writable disk"
          : "let this user read and write it (ls -l shows its owner and mode), or run baton as the user who owns it",
      );
    case "EIO":
      return new BatonError(
        "store_io",
        `the disk failed to ${doing} (EIO)`,
        "check the disk (dmesg shows its errors); if it is a network or removable drive, reconnect it",
      );
    default:
      return undefined;
  }
}

/** Wraps anything thrown into a BatonError, keeping a BatonError as it is and naming the machine's own failures. */
export function toBatonError(error: unknown): BatonError {
  if (isBatonError(error)) return error;
  const environment = environmentError(error);
  if (environment) return environment;
  const message = error instanceof Error ? error.message : String(error);
  return new BatonError(
    "internal",
    `unexpected failure: ${message}`,
    "this is a bug in baton; run again with BATON_DEBUG=1 for the stack and report it",
  );
}

/**
 * Input as an error message may quote it: at most `max` characters, with how
 * much was left out. A message quotes what was typed so the user sees the
 * mistake; it must not echo ten megabytes back.
 */
export function clip(text: string, max = 60): string {
  const value = String(text);
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} characters)`;
}
