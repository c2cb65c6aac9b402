import type { Writable } from "node:stream";
import {
  allowResponse,
  controlRequest,
  denyResponse,
  errorResponse,
  userMessage,
} from "../hosts/claude-control.js";
import type { RunFacts } from "../hosts/headless-run.js";
import { json } from "../hosts/run-readers.js";
import type { PermissionBroker } from "./permission-broker.js";

/** How long an interrupted run may take to end by itself before it is stopped. */
const INTERRUPT_GRACE_MS = 10_000;

/**
 * The stdin side of one `claude -p --input-format stream-json` run: sends the
 * task's prompt, answers each permission request through the broker, and
 * closes stdin when the turn's `result` arrives, which ends the session (one
 * task, one turn). A run the broker interrupted that does not end by itself
 * within a grace time is stopped.
 */
export class ClaudeSession {
  private closed = false;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stdin: Writable,
    private readonly broker: PermissionBroker,
    private readonly facts: RunFacts,
    private readonly stop: () => void,
  ) {}

  start(prompt: string): void {
    this.send(userMessage(prompt));
  }

  /** Reads one line of the host's stdout (the facts are read by the command's own reader). */
  line(text: string): void {
    const m = json(text);
    if (!m) return;
    if (m.type === "result") {
      this.close();
      return;
    }
    const request = typeof m === "object" && m !== null ? controlRequest(m) : undefined;
    if (!request) return;
    if ("other" in request) {
      this.send(errorResponse(request.other, `baton does not serve ${request.subtype} requests`));
      return;
    }
    const ask = request.canUseTool;
    void this.broker
      .decide({
        tool: ask.toolName,
        input: ask.input,
        toolUseId: ask.toolUseId,
        sessionId: this.facts.sessionId,
        turn: (this.facts.turns ?? 0) + 1,
      })
      .then((decision) => {
        if (decision.behavior === "allow") {
          this.send(allowResponse(ask.requestId, decision.input));
          return;
        }
        this.send(denyResponse(ask.requestId, decision.message, decision.interrupt));
        if (decision.interrupt && !this.graceTimer)
          this.graceTimer = setTimeout(this.stop, INTERRUPT_GRACE_MS);
      })
      .catch((error: Error) => {
        this.send(denyResponse(ask.requestId, `baton could not decide: ${error.message}`, false));
      });
  }

  /** The process is gone: nothing more is sent. */
  ended(): void {
    this.closed = true;
    clearTimeout(this.graceTimer);
  }

  private send(text: string): void {
    if (this.closed || !this.stdin.writable) return;
    this.stdin.write(text);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stdin.end();
  }
}
