import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach } from "vitest";
import { WORKERS } from "./processes.js";
import { CLI, tempDir, testHome } from "./temp-repo.js";

const open: Terminal[] = [];

interface Size {
  width: number;
  height: number;
}
const WIDE: Size = { width: 200, height: 50 };
afterEach(() => {
  while (open.length) open.pop()!.close();
});

/**
 * The CLI run in a real pseudo-terminal: a tmux server of the test's own (its own socket), one
 * pane running `node baton ...` from argv (tmux execs two or more words directly, no shell),
 * under a wrapper that records its exit status (test/workers/exit-code.mjs says why).
 * Keys go in with `send-keys -l`, byte for byte; the screen comes back with `capture-pane`. The
 * pane stays after the command ends, so its last screen can be read.
 */
export class Terminal {
  private constructor(
    private readonly socket: string,
    private readonly exitFile: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static start(
    cwd: string,
    args: string[],
    env: Record<string, string | undefined> = {},
    size: Size = WIDE,
  ): Terminal {
    const dir = tempDir("baton-tty-");
    const config = join(dir, "tmux.conf");
    writeFileSync(config, "set -g remain-on-exit on\nset -g history-limit 5000\n");
    const fullEnv: NodeJS.ProcessEnv = {
      ...process.env,
      BATON_AGENT: undefined,
      BATON_STORE: undefined,
      NO_COLOR: "1",
      HOME: testHome(),
      TERM: "xterm-256color",
      ...env,
    };
    for (const [key, value] of Object.entries(fullEnv)) if (value === undefined) delete fullEnv[key];
    const exitFile = join(dir, "exit-code");
    return Terminal.launch(dir, fullEnv, config, cwd, size, [
      process.execPath,
      join(WORKERS, "exit-code.mjs"),
      exitFile,
      CLI,
      ...args,
    ]);
  }

  /** An interactive program (a shell) in the pane, to type into. */
  static shell(cwd: string, argv: string[]): Terminal {
    const dir = tempDir("baton-tty-");
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: testHome(), TERM: "xterm-256color" };
    return Terminal.launch(dir, env, "/dev/null", cwd, WIDE, argv);
  }

  /** The server starts with this environment, and the pane inherits it. */
  private static launch(
    dir: string,
    env: NodeJS.ProcessEnv,
    config: string,
    cwd: string,
    size: Size,
    argv: string[],
  ): Terminal {
    const terminal = new Terminal(join(dir, "tmux.sock"), join(dir, "exit-code"), env);
    open.push(terminal);
    const [x, y] = [String(size.width), String(size.height)];
    terminal.tmux(["-f", config, "new-session", "-d", "-s", "t", "-x", x, "-y", y, "-c", cwd, ...argv]);
    return terminal.started();
  }

  private tmux(args: string[]): string {
    return execFileSync("tmux", ["-S", this.socket, ...args], { env: this.env, encoding: "utf8" });
  }

  /** The screen as text; with `escapes`, colour and other sequences included. */
  screen(escapes = false): string {
    // From the start of the history: output that scrolled off the top counts too.
    return this.tmux(["capture-pane", "-p", "-J", "-S", "-", ...(escapes ? ["-e"] : []), "-t", "t"]);
  }

  /** Types text as it is (no key names are interpreted). */
  type(text: string): void {
    this.tmux(["send-keys", "-t", "t", "-l", text]);
  }

  press(key: "Enter" | "Tab" | "C-c" | "C-d" | "C-u"): void {
    this.tmux(["send-keys", "-t", "t", key]);
  }

  /** The command's exit status once it has ended, else undefined. */
  exitStatus(): number | undefined {
    return existsSync(this.exitFile) ? Number(readFileSync(this.exitFile, "utf8")) : undefined;
  }

  /** Polls the screen until `test` passes; fails with the screen if it never does. */
  async until(test: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${what}; it shows:\n${screen}`);
      await sleep(50);
    }
  }

  /** Waits for the command to end; returns its exit status and the final screen. */
  async finished(timeoutMs = 20_000): Promise<{ code: number; screen: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const code = this.exitStatus();
      if (code !== undefined) return { code, screen: this.screen() };
      if (Date.now() > deadline)
        throw new Error(`the command never ended; the terminal shows:\n${this.screen()}`);
      await sleep(50);
    }
  }

  /** The tmux server's pid, kept so close() works even if the socket's folder is gone. */
  private server: number | undefined;

  private started(): this {
    this.server = Number(this.tmux(["display-message", "-p", "#{pid}"]).trim());
    return this;
  }

  close(): void {
    spawnSync("tmux", ["-S", this.socket, "kill-server"], { env: this.env, stdio: "ignore" });
    try {
      if (this.server) process.kill(this.server, "SIGTERM");
    } catch {
      // already gone
    }
  }
}
