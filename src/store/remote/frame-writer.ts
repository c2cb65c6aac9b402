import type { Socket } from "node:net";

/**
 * Writes JSON frames to a socket, one line each, coalesced: the frames sent in
 * one turn of the event loop (the answers of one committed batch, a client's
 * pipelined requests) leave in one write, so one syscall and one wake-up of the
 * reader, not one per frame.
 */
export class FrameWriter {
  private pending: string[] = [];

  constructor(private readonly socket: Socket) {}

  send(frame: unknown): void {
    if (this.socket.destroyed) return;
    this.pending.push(`${JSON.stringify(frame)}\n`);
    // nextTick runs after the current microtasks: every answer resolved with this one joins it.
    if (this.pending.length === 1) process.nextTick(() => this.flush());
  }

  /** Writes what is pending now (before ending the socket: a write after the end is refused). */
  flush(): void {
    if (this.pending.length === 0) return;
    const data = this.pending.join("");
    this.pending = [];
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.write(data);
  }
}
