import type { Readable, Writable } from "node:stream";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { BatonError } from "../errors.js";
import { type ErrorAnswer, errorAnswer, type Inbound, readLine } from "./jsonrpc-inbound.js";
import { type LineEvent, LineReader, MAX_MESSAGE_BYTES } from "./line-reader.js";

/**
 * One diagnostic line on stderr, never stdout (it carries only the protocol):
 * folded onto one line and cut short, as a zod dump or a hostile method name
 * would otherwise fill a host's log.
 */
export function logLine(text: string): void {
  const line = text.replace(/\s+/g, " ").trim();
  process.stderr.write(`baton mcp: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}\n`);
}

export interface StdioTransportOptions {
  /** The longest line read, in bytes. */
  limit?: number;
  /** Where diagnostics go: stderr, never stdout, which carries only the protocol. */
  log?: (line: string) => void;
}

/**
 * MCP over stdio: one JSON-RPC message per line on stdin and stdout. It
 * replaces the SDK's StdioServerTransport, which dropped a malformed line
 * without an answer (the client's request hung) and closed the connection
 * without a word on a line past 10 MiB. Here every line that needs an answer
 * gets one, a line past the limit is answered and skipped, and the session
 * ends only when the host closes stdin (`done` resolves) or a pipe breaks
 * (`done` rejects with the cause).
 */
export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];
  /** Settles when the session is over: the host closed stdin, or a pipe failed. */
  readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (error: Error) => void };
  private readonly reader: LineReader;
  private readonly log: (line: string) => void;
  private closed = false;
  /** Set while stdout's buffer is full: every write waits for the same drain. */
  private drain: Promise<void> | undefined;

  constructor(
    private readonly stdin: Readable = process.stdin,
    private readonly stdout: Writable = process.stdout,
    options: StdioTransportOptions = {},
  ) {
    this.reader = new LineReader(options.limit ?? MAX_MESSAGE_BYTES);
    this.log = options.log ?? logLine;
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Nobody may be left with an unhandled rejection if the session is torn down another way.
    this.done.catch(() => undefined);
  }

  async start(): Promise<void> {
    this.stdin.on("data", this.onData);
    this.stdin.on("end", this.onEnd);
    this.stdin.on("error", this.onInputError);
    this.stdout.on("error", this.onOutputError);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.write(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stdin.off("data", this.onData);
    this.stdin.off("end", this.onEnd);
    // Paused, stdin no longer holds the process open.
    this.stdin.pause();
    this.settle.resolve();
    this.onclose?.();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    for (const event of this.reader.push(bytes)) this.handle(event);
  };

  private readonly onEnd = (): void => {
    for (const event of this.reader.end()) this.handle(event);
    this.settle.resolve();
  };

  private readonly onInputError = (error: Error): void => {
    this.fail(`cannot read from the host (stdin): ${error.message}`);
  };

  private readonly onOutputError = (error: Error): void => {
    this.fail(`cannot write to the host (stdout): ${error.message}`);
  };

  private fail(message: string): void {
    this.settle.reject(
      new BatonError(
        "connection_lost",
        message,
        "the host that started baton mcp closed or broke its pipes; it starts a new server when it reconnects",
      ),
    );
    this.close().catch(() => undefined);
  }

  private handle(event: LineEvent): void {
    if (event.kind === "too_long") {
      this.answer([
        errorAnswer(
          null,
          ErrorCode.InvalidRequest,
          `Invalid Request: message longer than ${event.limit} bytes (the limit of one line); skipped to its newline`,
        ),
      ]);
      return;
    }
    let inbound: Inbound;
    try {
      inbound = readLine(event.bytes);
    } catch (error) {
      // A bug in reading one line must cost that line, never the session.
      this.log(`could not read a line: ${(error as Error).message}`);
      inbound = { kind: "answer", answers: [errorAnswer(null, ErrorCode.InternalError, "Internal error")] };
    }
    if (inbound.kind === "answer") this.answer(inbound.answers);
    else if (inbound.kind === "ignore") {
      if (inbound.why) this.log(`ignored ${inbound.why}`);
    } else {
      try {
        this.onmessage?.(inbound.message);
      } catch (error) {
        this.log(`a message's handler failed: ${(error as Error).message}`);
      }
    }
  }

  private answer(answers: ErrorAnswer[]): void {
    for (const answer of answers) this.write(answer).catch((error) => this.onerror?.(error));
  }

  /**
   * Writes one message as one line. When the host reads slower than it sends
   * (a flood of bad lines, each answered), stdin is paused until stdout drains,
   * so unread answers cannot pile up in memory.
   */
  private write(message: JSONRPCMessage | ErrorAnswer): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.stdout.write(`${JSON.stringify(message)}\n`)) return Promise.resolve();
    this.drain ??= new Promise((resolve) => {
      this.stdin.pause();
      this.stdout.once("drain", () => {
        this.drain = undefined;
        if (!this.closed) this.stdin.resume();
        resolve();
      });
    });
    return this.drain;
  }
}
