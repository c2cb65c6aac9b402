import type { Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, type JSONRPCMessage, type RequestId } from "@modelcontextprotocol/sdk/types.js";
import { errorAnswer, short } from "./jsonrpc-inbound.js";

type Extra = Parameters<NonNullable<Transport["onmessage"]>>[1];

/** A request's schema, as the SDK's zod schemas offer it. */
export interface RequestSchema {
  safeParse(value: unknown): {
    success: boolean;
    error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
  };
}

/**
 * MCP's rules for requests, between a transport and the SDK's Server, so every
 * transport (stdio now, HTTP later) gets them:
 * - a method baton does not serve: -32601, answered here;
 * - params that do not fit the method: -32602 (the SDK answered its own parse
 *   failure as -32603, an internal error, with a dump of zod issues);
 * - nothing but `initialize` and `ping` before the server has answered
 *   `initialize` (MCP lifecycle), and `initialize` only once. The answer is
 *   -32600: the request is invalid in this state. -32002, LSP's "server not
 *   initialized", is MCP's "resource not found", and a client would misread it.
 * Notifications and responses pass untouched: nothing may answer them.
 */
export class RequestGate implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];
  private phase: "new" | "initializing" | "ready" = "new";
  private initializeId: RequestId | undefined;
  /** Messages that came while initialize was being answered. */
  private readonly held: [JSONRPCMessage, Extra | undefined][] = [];
  /** Held messages being passed on once initialize was answered. */
  private behind = 0;
  /** Requests passed on and not yet answered, by id (a careless client may reuse one). */
  private readonly pending = new Map<RequestId, number>();
  private onIdle: (() => void) | undefined;

  constructor(
    private readonly inner: Transport,
    private readonly served: ReadonlyMap<string, RequestSchema>,
  ) {}

  async start(): Promise<void> {
    this.inner.onmessage = (message, extra) => this.receive(message, extra);
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    await this.inner.start();
  }

  private receive(message: JSONRPCMessage, extra?: Extra): void {
    // While initialize is being answered, what comes next waits for that answer, in order:
    // a client that pipes its requests in without waiting is served as if it had waited.
    if (this.phase === "initializing") {
      this.held.push([message, extra]);
      return;
    }
    {
      const refusal = this.check(message);
      if (refusal) {
        this.inner.send(refusal).catch((error) => this.onerror?.(error));
        return;
      }
      if ("method" in message && "id" in message)
        this.pending.set(message.id, (this.pending.get(message.id) ?? 0) + 1);
      this.onmessage?.(message, extra);
    }
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const wasInitializing = this.phase === "initializing";
    this.watchInitialize(message);
    // initialize is answered: what waited behind it goes on, after that answer.
    const held = wasInitializing && this.phase !== "initializing" ? this.held.splice(0) : [];
    this.behind += held.length;
    if (!("method" in message) && "id" in message && message.id !== undefined) this.answered(message.id);
    const sent = this.inner.send(message, options);
    if (held.length > 0) {
      void sent.then(() => {
        for (const [waiting, extra] of held) {
          this.behind--;
          this.receive(waiting, extra);
        }
        this.idleCheck();
      });
    }
    return sent;
  }

  /**
   * Resolves once every request passed on has been answered, or after `ms`:
   * when the host closes its end right after its last request (a script
   * piping lines in), those answers still go out before the server stops.
   */
  drained(ms: number): Promise<void> {
    if (this.pending.size === 0 && this.behind === 0 && this.held.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Requests read and not answered (yet). */
  unanswered(): number {
    let count = this.held.length + this.behind;
    for (const n of this.pending.values()) count += n;
    return count;
  }

  private answered(id: RequestId): void {
    const left = (this.pending.get(id) ?? 0) - 1;
    if (left > 0) this.pending.set(id, left);
    else this.pending.delete(id);
    this.idleCheck();
  }

  private idleCheck(): void {
    if (this.pending.size === 0 && this.behind === 0 && this.held.length === 0) this.onIdle?.();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  /** The error answer a request gets instead of being served, if any. */
  private check(message: JSONRPCMessage): JSONRPCMessage | undefined {
    if (!("method" in message && "id" in message)) return undefined;
    const { id, method } = message;
    const refuse = (code: number, text: string, data?: unknown) =>
      errorAnswer(id, code, text, data) as JSONRPCMessage;
    const schema = this.served.get(method);
    if (!schema) return refuse(ErrorCode.MethodNotFound, `Method not found: ${short(method)}`);
    if (method === "initialize" && this.phase !== "new")
      return refuse(ErrorCode.InvalidRequest, "Invalid Request: the session is already initialized");
    if (method !== "initialize" && method !== "ping" && this.phase !== "ready")
      return refuse(
        ErrorCode.InvalidRequest,
        "Invalid Request: the server is not initialized: send initialize and wait for its answer first",
      );
    const parsed = schema.safeParse(message);
    if (!parsed.success) {
      const issues = (parsed.error?.issues ?? []).map((issue) => ({
        path: issue.path.map(String).join("."),
        message: issue.message,
      }));
      const what = issues
        .slice(0, 3)
        .map((issue) => `${issue.path || "(params)"}: ${issue.message}`)
        .join("; ");
      return refuse(ErrorCode.InvalidParams, `Invalid params for ${method}: ${what}`, { issues });
    }
    if (method === "initialize") {
      this.phase = "initializing";
      this.initializeId = id;
    }
    return undefined;
  }

  /** The session is ready once `initialize` is answered with a result; an error answer leaves it new. */
  private watchInitialize(message: JSONRPCMessage): void {
    if (this.phase !== "initializing" || !("id" in message) || message.id !== this.initializeId) return;
    if ("method" in message) return;
    this.phase = "result" in message ? "ready" : "new";
  }
}
