import { BatonError } from "../../errors.js";
import { sleep } from "../../util/sleep.js";
import { attachArgs } from "./attach-args.js";
import { type AllowedKey, sendKeys, sendText } from "./pane-input.js";
import {
  checkPaneSpec,
  IDS_FORMAT,
  type PaneIds,
  type PaneSpec,
  parseIds,
  placeholder,
  startCommands,
  wholeNumber,
} from "./pane-spec.js";
import { setEnvironment, showEnvironment } from "./session-environment.js";
import { checkSessionName, checkTarget, checkWindowName, formatLiteral, sessionTarget } from "./tmux-args.js";
import { TmuxClient } from "./tmux-client.js";
import { requireTmux, type TmuxInfo, tmuxInfo } from "./tmux-version.js";
import { listWindows, type WindowInfo } from "./window-list.js";

export { ALLOWED_KEYS, type AllowedKey } from "./pane-input.js";
export type { PaneIds, PaneSpec } from "./pane-spec.js";
export type { TmuxInfo } from "./tmux-version.js";
export type { WindowInfo } from "./window-list.js";

export interface TmuxOptions {
  /** A server of its own at this socket path (-S). Without it, the user's server, so plain `tmux attach` finds the team. */
  socket?: string;
  /** The config file a server started by this Tmux reads (-f); tests pass /dev/null to be free of ~/.tmux.conf. */
  config?: string;
}

export interface NewSessionOptions extends PaneSpec {
  name: string;
  /** The first window's name. */
  window: string;
  width?: number;
  height?: number;
}

export interface NewWindowOptions extends PaneSpec {
  session: string;
  name: string;
}

/**
 * The tmux binary, for a team of agent CLIs: a session per team, a window per
 * agent. Driven with argv arrays, never a shell, and no word of the caller's is
 * read by tmux as anything but itself (tmux-args.ts). Sessions are named
 * exactly; windows and panes are targeted by their ids. Every window keeps its
 * pane when its command ends (remain-on-exit), so the last screen and the exit
 * status can be read and the command started again. All methods but attachArgs
 * are async: the orchestrator runs in the hub, whose event loop must not wait
 * on tmux.
 */
export class Tmux {
  private readonly client: TmuxClient;

  constructor(options: TmuxOptions = {}) {
    this.client = new TmuxClient(options.socket, options.config);
  }

  get socket(): string | undefined {
    return this.client.socket;
  }

  /** tmux on PATH and its version, or undefined when it is not installed. */
  async available(): Promise<TmuxInfo | undefined> {
    return tmuxInfo();
  }

  /** available(), or an `unsupported` BatonError saying what to install (or --headless). */
  async require(): Promise<TmuxInfo> {
    return requireTmux();
  }

  /** The server's sessions (none when no server runs), with whether a client is attached. */
  async listSessions(): Promise<{ name: string; attached: boolean }[]> {
    let listing: string;
    try {
      listing = await this.client.run(
        [["list-sessions", "-F", "#{session_attached}\t#{session_name}"]],
        "the tmux server",
      );
    } catch {
      return []; // no server: no sessions
    }
    return listing
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf("\t");
        return { attached: Number(line.slice(0, tab)) > 0, name: line.slice(tab + 1) };
      });
  }

  async hasSession(name: string): Promise<boolean> {
    return this.client.ifPresent([["has-session", "-t", sessionTarget(name)]], `the tmux session ${name}`);
  }

  /** A detached session whose first window runs `command`. A session of that name already there is a `conflict`. */
  async newSession(options: NewSessionOptions): Promise<PaneIds> {
    const name = checkSessionName(options.name);
    const cwd = checkPaneSpec(options);
    const size = [
      ...(options.width === undefined ? [] : ["-x", String(wholeNumber(options.width, "width"))]),
      ...(options.height === undefined ? [] : ["-y", String(wholeNumber(options.height, "height"))]),
    ];
    const window = checkWindowName(options.window);
    const command = [
      "new-session",
      "-d",
      "-P",
      "-F",
      IDS_FORMAT,
      "-s",
      name,
      "-n",
      window,
      "-c",
      formatLiteral(cwd),
    ];
    const ids = parseIds(
      await this.client.run([[...command, ...size, "--", ...placeholder()]], `the tmux session ${name}`),
    );
    await this.startOrUndo(ids, options, () => this.killSession(name));
    return ids;
  }

  /** A window in `session` running `command`, not made current: a person watching keeps their window. */
  async newWindow(options: NewWindowOptions): Promise<PaneIds> {
    const cwd = checkPaneSpec(options);
    const name = checkWindowName(options.name);
    // `=session:` with no window: the session's next free index.
    const session = `${sessionTarget(options.session)}:`;
    const command = [
      "new-window",
      "-d",
      "-P",
      "-F",
      IDS_FORMAT,
      "-t",
      session,
      "-n",
      name,
      "-c",
      formatLiteral(cwd),
    ];
    const ids = parseIds(
      await this.client.run([[...command, "--", ...placeholder()]], `the tmux session ${options.session}`),
    );
    await this.startOrUndo(ids, options, () => this.killWindow(ids.windowId));
    return ids;
  }

  /**
   * Runs `command` again in a window or pane, ended or not (respawn-pane -k):
   * the pane keeps its id, and its new output goes on below what the last run
   * left. Without `cwd`, it starts where the last run started.
   */
  async respawnWindow(
    target: string,
    command: string[],
    env: Record<string, string> = {},
    cwd?: string,
  ): Promise<void> {
    const t = checkTarget(target);
    await this.client.run(startCommands(t, { command, env, cwd }), `the pane ${t}`);
  }

  /** Sets a variable of the session's own environment (session-environment.ts); no newlines. */
  async setEnvironment(session: string, key: string, value: string): Promise<void> {
    return setEnvironment(this.client, session, key, value);
  }

  async showEnvironment(session: string): Promise<Record<string, string>> {
    return showEnvironment(this.client, session);
  }

  /** The session's windows in index order, each with its first pane, whether its command ended and how. */
  async listWindows(session: string): Promise<WindowInfo[]> {
    return listWindows(this.client, session);
  }

  /**
   * The pane's text (wrapped lines joined, trailing blanks trimmed); with
   * `lines`, that many lines of history above the screen too. tmux before 3.7
   * may miss the last output of a command that ends within moments: it closes
   * the pane's terminal as it learns of the exit, before reading what is left
   * (tmux issue 4807). The exit status is kept all the same.
   */
  async capture(target: string, options: { lines?: number } = {}): Promise<string> {
    const t = checkTarget(target);
    const history =
      options.lines === undefined ? [] : ["-S", `-${wholeNumber(options.lines, "lines", true)}`];
    const output = await this.client.run(
      [["capture-pane", "-p", "-J", "-t", t, ...history]],
      `the pane ${t}`,
    );
    return output
      .split("\n")
      .map((line) => line.trimEnd())
      .join("\n")
      .replace(/\n+$/, "");
  }

  /**
   * Types text into the pane as it is, byte for byte but for control
   * characters, which arrive as visible stand-ins (pane-text.ts, pane-input.ts);
   * then Enter when `submit`. Whether the program took it as submitted is for
   * its host to tell (hooks), or, as a last resort, waitForScreen.
   */
  async sendText(target: string, text: string, options: { submit?: boolean } = {}): Promise<void> {
    return sendText(this.client, checkTarget(target), text, options.submit ?? false);
  }

  /** Presses named keys (Enter, Escape, C-c...), only from ALLOWED_KEYS. */
  async sendKeys(target: string, keys: readonly AllowedKey[]): Promise<void> {
    return sendKeys(this.client, checkTarget(target), keys);
  }

  /**
   * Polls the pane's screen until `predicate` holds or `timeoutMs` passes, and
   * returns the last screen either way: for callers that must fall back on the
   * screen, whose wording changes between a host's versions.
   */
  async waitForScreen(
    target: string,
    predicate: (screen: string) => boolean,
    timeoutMs: number,
    options: { intervalMs?: number; lines?: number } = {},
  ): Promise<{ matched: boolean; screen: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.capture(target, { lines: options.lines });
      if (predicate(screen)) return { matched: true, screen };
      if (Date.now() >= deadline) return { matched: false, screen };
      await sleep(Math.min(options.intervalMs ?? 100, Math.max(1, deadline - Date.now())));
    }
  }

  /** Closes a window, ending its command; false when it was already gone. */
  async killWindow(target: string): Promise<boolean> {
    const t = checkTarget(target);
    return this.client.ifPresent([["kill-window", "-t", t]], `the window ${t}`);
  }

  /** Closes a session and all its windows; false when it was not running. */
  async killSession(name: string): Promise<boolean> {
    return this.client.ifPresent([["kill-session", "-t", sessionTarget(name)]], `the tmux session ${name}`);
  }

  /** Stops the whole server: only one on a socket of our own, never the user's. */
  async killServer(): Promise<void> {
    if (this.socket === undefined) {
      throw new BatonError(
        "forbidden",
        "baton does not stop the user's tmux server",
        "stop the team's session instead (killSession)",
      );
    }
    await this.client.attempt([["kill-server"]]);
  }

  /** The argv that shows the session on the person's terminal (attach-args.ts), to run with stdio inherited. */
  attachArgs(session: string, window?: number | string, env: NodeJS.ProcessEnv = process.env): string[] {
    return attachArgs({ socket: this.socket, session, window, env });
  }

  /** Swaps the placeholder for the real command; on failure, removes what was created. */
  private async startOrUndo(ids: PaneIds, spec: PaneSpec, undo: () => Promise<unknown>): Promise<void> {
    try {
      await this.client.run(startCommands(ids.paneId, spec), `the pane ${ids.paneId}`);
    } catch (error) {
      await undo().catch(() => {});
      throw error;
    }
  }
}
