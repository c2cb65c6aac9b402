/**
 * The largest message `baton mcp` reads: 4 MiB on one line. The longest texts
 * baton's tools take (a report, a message) are capped far below it; the SDK's
 * own reader allowed 10 MiB for everything it had buffered and then closed the
 * connection, so one long line cost the agent all its tools.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** What a stream of bytes holds, line by line: a message's bytes, or a line too long to keep. */
export type LineEvent = { kind: "line"; bytes: Buffer } | { kind: "too_long"; limit: number };

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into newline-delimited messages (the MCP stdio framing)
 * without ever holding more than `limit` bytes of one line. A longer line is
 * reported once, as soon as it passes the limit, and skipped up to its newline:
 * the lines after it are read as usual.
 */
export class LineReader {
  private parts: Buffer[] = [];
  private size = 0;
  /** Inside a line already reported too long: drop bytes until its newline. */
  private skipping = false;

  constructor(private readonly limit = MAX_MESSAGE_BYTES) {}

  push(chunk: Buffer): LineEvent[] {
    const events: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      this.take(chunk.subarray(start, end), events);
      if (newline === -1) break;
      this.endLine(events);
      start = newline + 1;
    }
    return events;
  }

  /** The stream ended: a last line without its newline is still a message. */
  end(): LineEvent[] {
    const events: LineEvent[] = [];
    if (this.size > 0) this.endLine(events);
    this.skipping = false;
    return events;
  }

  private take(bytes: Buffer, events: LineEvent[]): void {
    if (this.skipping || bytes.length === 0) return;
    if (this.size + bytes.length > this.limit) {
      this.parts = [];
      this.size = 0;
      this.skipping = true;
      events.push({ kind: "too_long", limit: this.limit });
      return;
    }
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  private endLine(events: LineEvent[]): void {
    if (!this.skipping) events.push({ kind: "line", bytes: Buffer.concat(this.parts, this.size) });
    this.parts = [];
    this.size = 0;
    this.skipping = false;
  }
}
