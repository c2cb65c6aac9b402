import type { BatonError } from "../../errors.js";
import { commandSequence } from "./tmux-args.js";
import { runTmux, type TmuxResult, tmuxFailure } from "./tmux-run.js";

/**
 * One tmux server, as the client reaches it: which socket, which config, and
 * always UTF-8 (-u: without it, tmux shows non-ASCII text as `_` to a client
 * whose locale is not UTF-8). Each call is one tmux invocation, with its
 * commands' words escaped (tmux-args.ts).
 */
export class TmuxClient {
  constructor(
    /** A server of its own (-S), or undefined for the user's (or $TMUX's) server. */
    readonly socket: string | undefined,
    /** The config file a server started by this client reads (-f). */
    private readonly config: string | undefined,
  ) {}

  argv(commands: readonly (readonly string[])[]): string[] {
    return [
      "-u",
      ...(this.socket === undefined ? [] : ["-S", this.socket]),
      ...(this.config === undefined ? [] : ["-f", this.config]),
      ...commandSequence(commands),
    ];
  }

  /** Runs commands in one invocation: their output, or the failure as a BatonError about `what`. */
  async run(commands: readonly (readonly string[])[], what: string, input?: string): Promise<string> {
    const argv = this.argv(commands);
    const result = await runTmux(argv, input);
    if (result.code !== 0) throw tmuxFailure(argv, result, what);
    return result.stdout;
  }

  /** Runs commands whose target may be gone: true when they ran, false when it was gone, a BatonError otherwise. */
  async ifPresent(commands: readonly (readonly string[])[], what: string): Promise<boolean> {
    const argv = this.argv(commands);
    const result = await runTmux(argv);
    if (result.code === 0) return true;
    const failure: BatonError = tmuxFailure(argv, result, what);
    if (failure.code === "not_found") return false;
    throw failure;
  }

  /** Runs commands and reports how it went, failure included: for cleanups that must not throw. */
  attempt(commands: readonly (readonly string[])[]): Promise<TmuxResult> {
    return runTmux(this.argv(commands));
  }
}
