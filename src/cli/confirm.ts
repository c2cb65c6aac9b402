import { createInterface } from "node:readline";
import { BatonError } from "../errors.js";
// The question shows text agents wrote (an approval's action, a lease's path): shown, never obeyed.
import { oneLine } from "../util/control-chars.js";
import type { CliContext } from "./context.js";
import { EXIT } from "./exit-codes.js";

/**
 * Confirmation before a decision or a forced change: force-releasing another's
 * lease, approving or rejecting, cancelling a task someone else holds.
 *
 * On a terminal (stdin and stderr both TTYs) the command shows what will change
 * and asks `[y/N]`; only y or yes goes ahead. Anywhere else nobody can answer,
 * so the command needs `--yes` and otherwise stops with a usage error, before
 * changing anything. `--json` is for scripts: it never asks, so it needs `--yes`
 * too. A dry run changes nothing and asks nothing.
 */
export interface ConfirmRequest {
  /** The command as typed after `baton`, for the hint: "lock force-release". */
  command: string;
  /** What will change, one line each, shown above the question. */
  details?: string[];
  /** The question, without the `[y/N]`. */
  question: string;
  /** The command's --yes. */
  yes: boolean | undefined;
}

export async function confirm(ctx: CliContext, request: ConfirmRequest): Promise<boolean> {
  if (request.yes || ctx.globals.dryRun) return true;
  if (ctx.globals.json) {
    throw new BatonError(
      "usage",
      `${request.command} with --json asks no question: ${request.question.replace(/\?$/, "")} needs --yes`,
      `pass --yes to confirm: baton ${request.command} ... --yes --json`,
    );
  }
  if (!(process.stdin.isTTY && process.stderr.isTTY)) {
    throw new BatonError(
      "usage",
      `${request.command} needs a confirmation and there is no terminal to ask on`,
      `pass --yes to confirm without a question: baton ${request.command} ... --yes`,
    );
  }
  for (const line of request.details ?? []) process.stderr.write(`${oneLine(line)}\n`);
  return ask(`${oneLine(request.question)} [y/N] `);
}

/** What a declined confirmation prints; its exit code says nothing was done. */
export function declined(ctx: CliContext): number {
  process.stderr.write(`${ctx.out.errStyle.dim("cancelled: nothing was changed")}\n`);
  return EXIT.error;
}

function ask(prompt: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let settled = false;
    const settle = (yes: boolean) => {
      if (settled) return;
      settled = true;
      rl.close();
      resolve(yes);
    };
    // Ctrl-C and Ctrl-D answer no: leaving the question must never go ahead.
    rl.on("SIGINT", () => {
      process.stderr.write("\n");
      settle(false);
    });
    rl.on("close", () => settle(false));
    rl.question(prompt, (answer) => settle(/^(y|yes)$/i.test(answer.trim())));
  });
}
