import { formatDuration } from "../util/duration.js";
import type { CliContext } from "./context.js";

/**
 * What a `--wait` shows while it blocks, on a terminal only: the id to come back to and how
 * long it will wait, so a silent prompt is never mistaken for a hang. Pipes and --json get
 * nothing (their output is the answer alone). Returned as the callback a wait calls when it
 * begins, so nothing is printed when the answer is already there.
 */
export function waitingNote(ctx: CliContext, what: string, waitMs: number): (() => void) | undefined {
  if (ctx.globals.json || !process.stderr.isTTY) return undefined;
  return () =>
    ctx.out.note(`${what}; waiting up to ${formatDuration(waitMs)}… (Ctrl-C stops waiting, nothing is lost)`);
}
