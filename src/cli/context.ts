import type { Command } from "commander";
import { systemClock } from "../clock.js";
import { checkWhole, DURATIONS, type DurationKind } from "../domain/limits.js";
import { BatonError, clip } from "../errors.js";
import { openWorkspace, type Workspace } from "../services/workspace.js";
import { describeRange, parseDuration } from "../util/duration.js";
import { Output } from "./output.js";

export interface GlobalOptions {
  as?: string;
  newAgent?: boolean;
  json?: boolean;
  dryRun?: boolean;
  store?: string;
}

/** What every command action gets: the parsed global flags, the output, and the workspace on demand. */
export class CliContext {
  readonly globals: GlobalOptions;
  readonly out: Output;
  private opened: Workspace | undefined;
  private joined = false;

  constructor(command: Command) {
    this.globals = command.optsWithGlobals<GlobalOptions>();
    this.out = new Output(this.globals.json === true, this.globals.dryRun === true);
  }

  now(): number {
    return systemClock.now();
  }

  async workspace(): Promise<Workspace> {
    this.opened ??= await openWorkspace({
      as: this.globals.as,
      store: this.globals.store ?? (process.env.BATON_STORE || undefined),
      dryRun: this.globals.dryRun === true,
    });
    // A new name that looks like a known one's is refused on first use; joining first says it is meant.
    if (this.globals.newAgent && !this.joined) {
      this.joined = true;
      await this.opened.agents.join();
    }
    return this.opened;
  }

  async close(): Promise<void> {
    await this.opened?.close();
  }
}

/**
 * Wraps a command's action: builds the context from the command's own and
 * global flags, runs, and always closes the store. Errors go up to main.ts,
 * which maps them to output and an exit code in one place.
 */
export function action<Args extends unknown[]>(
  run: (ctx: CliContext, ...args: Args) => Promise<unknown>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const ctx = new CliContext(command);
    try {
      const code = await run(ctx, ...(args.slice(0, -1) as Args));
      if (typeof code === "number" && code !== 0) process.exitCode = code;
    } finally {
      await ctx.close();
    }
  };
}

/** Option parsers that fail with a typed error (exit 2) instead of a bare string; a duration within its range. */
export function durationOption(flag: string, kind: DurationKind) {
  return (value: string) => parseDuration(value, `${flag} value`, DURATIONS[kind]);
}

/** A flag's help with the range of the duration it takes: `... (100ms to 7d)`. */
export function withRange(help: string, kind: DurationKind): string {
  return `${help} (${describeRange(DURATIONS[kind])})`;
}

/** A `--limit N` value within its range. */
export function limitOption(flag: string) {
  return (value: string) => checkWhole("limit", value, flag);
}

export function tokenOption(value: string): number {
  // Digits only: Number() would also read 0x2a as 42.
  const token = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(token) || token < 1) {
    throw new BatonError(
      "invalid_input",
      `bad token '${clip(value)}'`,
      "pass the number that claim or lock printed, e.g. --token 42",
    );
  }
  return token;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  ];
}
