import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { CLI, testHome } from "./temp-repo.js";

export type Id = string | number;

/** One line the server wrote, read as a JSON-RPC response. */
export interface Answer {
  jsonrpc?: unknown;
  id?: Id | null;
  result?: { isError?: boolean; tools?: unknown[]; [key: string]: unknown };
  error?: { code: number; message: string; data?: unknown };
}

/**
 * `baton mcp` driven line by line over its real stdin and stdout, as a host
 * would, but able to send what no SDK client would: any bytes at all. Every
 * line the server writes is kept in order; a line that is not a JSON object
 * is kept too, in `garbage`, for the test to refuse.
 */
export class RawMcp {
  readonly answers: Answer[] = [];
  readonly garbage: string[] = [];
  stderr = "";
  private partial = "";
  private readonly waiters: {
    test: (answer: Answer) => boolean;
    resolve: (answer: Answer) => void;
    reject: (error: Error) => void;
  }[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private nextId = 0;

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => this.read(text));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      this.stderr += text;
    });
    // The server may stop reading on purpose (a test of a broken pipe): a write that fails then is expected.
    child.stdin.on("error", () => undefined);
    this.exited = new Promise((resolve) =>
      child.on("exit", (code, signal) => {
        // Nobody waits forever for an answer from a process that is gone: the test fails saying so.
        for (const waiter of this.waiters.splice(0))
          waiter.reject(
            new Error(`baton mcp exited (${code ?? signal}) before answering; stderr: ${this.stderr}`),
          );
        resolve({ code, signal });
      }),
    );
  }

  static start(repo: string, agent: string): RawMcp {
    const child = spawn(process.execPath, [CLI, "mcp", "--as", agent, "--kind", "claude"], {
      cwd: repo,
      env: {
        ...process.env,
        BATON_AGENT: undefined,
        BATON_STORE: undefined,
        HOME: testHome(),
        NO_COLOR: "1",
      },
    });
    return new RawMcp(child);
  }

  /** Writes one line (a newline is added). */
  send(line: string | Buffer): void {
    this.child.stdin.write(line);
    this.child.stdin.write("\n");
  }

  sendJson(value: unknown): void {
    this.send(JSON.stringify(value));
  }

  /** The next answer that passes `test`, among those already read or still to come. */
  waitFor(test: (answer: Answer) => boolean, from = 0): Promise<Answer> {
    const seen = this.answers.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      return Promise.reject(new Error(`baton mcp has exited; stderr: ${this.stderr}`));
    return new Promise((resolve, reject) => this.waiters.push({ test, resolve, reject }));
  }

  answerTo(id: Id): Promise<Answer> {
    return this.waitFor((answer) => answer.id === id);
  }

  /** Sends a request with a fresh id and waits for its answer. */
  async request(method: string, params?: unknown): Promise<Answer> {
    const id = `req-${++this.nextId}`;
    this.sendJson({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
    return this.answerTo(id);
  }

  async initialize(): Promise<Answer> {
    const answer = await this.request("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "raw-test", version: "1.0.0" },
    });
    this.sendJson({ jsonrpc: "2.0", method: "notifications/initialized" });
    return answer;
  }

  /** Closes stdin, as a host does when it is done, and waits for the process to end. */
  async end(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.stdin.end();
    return this.exited;
  }

  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }

  private read(text: string): void {
    const lines = (this.partial + text).split("\n");
    this.partial = lines.pop()!;
    for (const line of lines) {
      let answer: Answer;
      try {
        answer = JSON.parse(line) as Answer;
      } catch {
        this.garbage.push(line);
        continue;
      }
      if (typeof answer !== "object" || answer === null || Array.isArray(answer)) {
        this.garbage.push(line);
        continue;
      }
      this.answers.push(answer);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const waiter = this.waiters[i]!;
        if (waiter.test(answer)) {
          this.waiters.splice(i, 1);
          waiter.resolve(answer);
        }
      }
    }
  }
}
