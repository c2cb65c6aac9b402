import { statSync } from "node:fs";
import { resolve } from "node:path";
import { BatonError, clip } from "../../errors.js";
import { which } from "../../util/which.js";
import { checkArgvText, formatLiteral, paneCommand } from "./tmux-args.js";

/** What a pane runs. */
export interface PaneSpec {
  /** The program and its arguments, as argv: no word is ever read by a shell. */
  command: string[];
  /** Variables the command gets on top of the tmux server's environment (pass PATH if it must be the caller's). */
  env?: Record<string, string>;
  /** The folder it starts in. */
  cwd: string;
}

/** Where a command was started: the ids every later call takes as its target. */
export interface PaneIds {
  windowId: string;
  paneId: string;
}

/** new-session and new-window print this with -P: the new window's and pane's ids. */
export const IDS_FORMAT = "#{window_id}\t#{pane_id}";

export function parseIds(output: string): PaneIds {
  const [windowId, paneId] = output.trim().split("\t");
  if (!windowId?.startsWith("@") || !paneId?.startsWith("%")) {
    throw new BatonError(
      "internal",
      `tmux answered '${clip(output)}' for a new window's ids`,
      "report it with tmux -V",
    );
  }
  return { windowId, paneId };
}

/**
 * A new window first runs this, until remain-on-exit is set on it and the real
 * command replaces it (respawn-pane -k). Started directly, a command that fails
 * at once (a program not on PATH: env exits 127) would take its window, and the
 * session with its first window, before remain-on-exit could keep them, and
 * with them the status and screen that say why.
 */
export function placeholder(): string[] {
  return paneCommand(envProgram(), ["sleep", "86400"]);
}

/**
 * The commands that run `command` in a pane and keep the pane when it ends:
 * remain-on-exit first, so a command that ends at once still leaves its status.
 * Without `cwd`, respawn-pane starts where the pane's last run started.
 */
export function startCommands(
  target: string,
  spec: { command: string[]; env?: Record<string, string>; cwd?: string },
): string[][] {
  const argv = paneCommand(envProgram(), spec.command, spec.env ?? {});
  const dir = spec.cwd === undefined ? [] : ["-c", formatLiteral(directory(spec.cwd))];
  return [
    ["set-option", "-w", "-t", target, "remain-on-exit", "on"],
    ["respawn-pane", "-k", "-t", target, ...dir, "--", ...argv],
  ];
}

/** Checks everything about a command before tmux is asked to do anything; the folder as an absolute path. */
export function checkPaneSpec(spec: PaneSpec): string {
  paneCommand(envProgram(), spec.command, spec.env ?? {});
  return directory(spec.cwd);
}

/** The folder a pane starts in, as an absolute path; tmux would silently start a missing one in $HOME. */
export function directory(cwd: string): string {
  const path = resolve(checkArgvText(cwd, "the folder"));
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new BatonError(
      "not_found",
      `no folder ${path}`,
      "create it, or start the agent in an existing folder",
    );
  }
  if (!isDirectory)
    throw new BatonError("invalid_input", `${path} is not a folder`, "start the agent in a folder");
  return path;
}

/** A size or count: a whole number, above 0 unless `zero` is allowed. */
export function wholeNumber(value: number, what: string, zero = false): number {
  if (!Number.isSafeInteger(value) || value < (zero ? 0 : 1)) {
    throw new BatonError(
      "invalid_input",
      `${what} must be a whole number${zero ? "" : " above 0"}`,
      `got ${value}`,
    );
  }
  return value;
}

let envPath: string | undefined;

/** env's absolute path, found once: panes run `env -- command...` (tmux-args.ts says why). */
function envProgram(): string {
  envPath ??= which("env") ?? "/usr/bin/env";
  return envPath;
}
