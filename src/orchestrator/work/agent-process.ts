import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";

/** After SIGTERM, how long an agent has to end before its whole process group is killed. */
export const KILL_AFTER_MS = 5000;
/** After the agent exits, how long its output may still arrive (a child it left may hold the pipes). */
const DRAIN_MS = 500;
/** A line longer than this is no protocol message: it is dropped, not kept growing in memory. */
const MAX_LINE_CHARS = 1024 * 1024;

export interface AgentExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program could not be started at all (not found, not executable). */
  error?: Error;
}

/**
 * One headless agent run, in a process group of its own. `stop()` asks the
 * group to end (SIGTERM) and kills it after KILL_AFTER_MS, so an agent that
 * ignores SIGTERM, or a server it left in the background, cannot keep a
 * worker (and its claim) forever. The run ends when the agent's own process
 * exits: a background child still holding stdout does not keep it open past a
 * short drain, and is then ended with the rest of the group. Output is decoded as UTF-8 across chunk boundaries and handed
 * over a line at a time; `tail()` is the last `tailChars` of stdout and stderr.
 */
export class AgentProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<AgentExit>;
  private tailText = "";
  private partial = "";
  private killTimer: NodeJS.Timeout | undefined;

  constructor(
    argv: string[],
    options: { cwd: string; env: NodeJS.ProcessEnv; tailChars: number; onLine: (line: string) => void },
  ) {
    this.child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    this.child.stdin.on("error", () => {}); // a program that never reads its stdin
    const out = new StringDecoder("utf8");
    const err = new StringDecoder("utf8");
    const keep = (text: string) => {
      this.tailText = (this.tailText + text).slice(-options.tailChars);
    };
    this.child.stdout.on("data", (chunk: Buffer) => {
      const text = out.write(chunk);
      keep(text);
      const lines = (this.partial + text).split("\n");
      this.partial = lines.pop()!;
      if (this.partial.length > MAX_LINE_CHARS) this.partial = "";
      for (const line of lines) options.onLine(line);
    });
    this.child.stderr.on("data", (chunk: Buffer) => keep(err.write(chunk)));
    this.exited = new Promise<AgentExit>((resolve) => {
      this.child.once("error", (error) => resolve({ code: null, signal: null, error }));
      this.child.once("exit", (code, signal) => {
        clearTimeout(this.killTimer);
        const drained = new Promise<void>((done) => this.child.stdout.once("close", () => done()));
        const late = new Promise<void>((done) => setTimeout(done, DRAIN_MS).unref());
        void Promise.race([drained, late]).then(() => {
          // The run is over: what it left running in its group (a server started with &) goes too.
          this.signalGroup("SIGTERM");
          this.child.stdout.destroy();
          this.child.stderr.destroy();
          if (this.partial) options.onLine(this.partial);
          resolve({ code, signal });
        });
      });
    });
  }

  /** SIGTERM to the agent's process group, SIGKILL after KILL_AFTER_MS if it is still there. */
  stop(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null || this.killTimer) return;
    this.signalGroup("SIGTERM");
    this.killTimer = setTimeout(() => this.signalGroup("SIGKILL"), KILL_AFTER_MS);
    this.killTimer.unref();
  }

  tail(): string {
    return this.tailText;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      this.child.kill(signal); // the group is gone: the process itself, if it is not
    }
  }
}
