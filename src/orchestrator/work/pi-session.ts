import type { Writable } from "node:stream";
import { json } from "../hosts/run-readers.js";

/** How long pi has to end by itself after an abort before its process group is signalled. */
const ABORT_GRACE_MS = 5000;

/** Ids of baton's own commands, to tell their answers apart. */
const ID = { prompt: "baton-prompt", state: "baton-state", settled: "baton-settled", abort: "baton-abort" };

const command = (value: object) => `${JSON.stringify(value)}\n`;

/**
 * The stdin side of one `pi --mode rpc` run (pi 0.73: dist/modes/rpc). Sends
 * the task's prompt and asks for the session's state (its id, read by the
 * command's reader), then closes stdin once the run is over, which ends pi.
 * "Over" is checked, not assumed at `agent_end`: pi writes `auto_retry_start`
 * right after an `agent_end` whose error it will retry, in the same tick, so
 * baton asks `get_state` after each `agent_end` and closes only if no retry
 * came before the answer. `stop()` asks pi to abort first: it ends its tool
 * calls and saves the session (a resume finds it whole), answers the abort
 * once idle, and exits when stdin closes; one that does not within
 * ABORT_GRACE_MS is signalled as any other agent.
 */
export class PiSession {
  private closed = false;
  private retrying = false;
  private abortTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stdin: Writable,
    private readonly kill: () => void,
  ) {}

  start(prompt: string): void {
    this.send({ type: "prompt", id: ID.prompt, message: prompt });
    this.send({ type: "get_state", id: ID.state });
  }

  /** Reads one line of pi's stdout (the facts are read by the command's own reader). */
  line(text: string): void {
    const m = json(text);
    if (!m) return;
    if (m.type === "agent_end") {
      this.retrying = false;
      this.send({ type: "get_state", id: ID.settled });
    } else if (m.type === "auto_retry_start") {
      this.retrying = true;
    } else if (m.type === "response") {
      const settled = m.id === ID.settled && !this.retrying;
      // A refused prompt never starts a run; an answered abort means pi is idle.
      if (settled || (m.id === ID.prompt && m.success === false) || m.id === ID.abort) this.close();
    }
  }

  /** Asks pi to abort, and signals it if it has not ended after ABORT_GRACE_MS. */
  stop(): void {
    if (this.abortTimer) return;
    if (this.closed) {
      this.kill();
      return;
    }
    this.send({ type: "abort", id: ID.abort });
    this.abortTimer = setTimeout(this.kill, ABORT_GRACE_MS);
    this.abortTimer.unref();
  }

  /** The process is gone: nothing more is sent. */
  ended(): void {
    this.closed = true;
    clearTimeout(this.abortTimer);
  }

  private send(value: object): void {
    if (this.closed || !this.stdin.writable) return;
    this.stdin.write(command(value));
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stdin.end();
  }
}
