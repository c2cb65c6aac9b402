import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { BatonError } from "../../errors.js";
import { RequestGate } from "../../mcp/request-gate.js";
import { createMcpServer, SERVED_REQUESTS } from "../../mcp/server.js";
import { McpSession } from "../../mcp/session.js";
import type { Hub } from "../../services/hub.js";
import type { Principal } from "../principal.js";
import { readJsonBody } from "./request-body.js";

export interface McpLimits {
  bodyBytes: number;
  /** The longest a tool blocks before answering "pending", as `baton mcp --max-wait`. */
  maxWaitMs: number;
}

/** One agent key's MCP state: its session (the claim it holds) and the connection serving it now. */
interface KeySession {
  session: McpSession;
  server?: Server;
  transport?: StreamableHTTPServerTransport;
}

function noSession(): BatonError {
  return new BatonError(
    "not_found",
    "no such MCP session for this key (it ended, the server restarted, or a newer initialize replaced it)",
    "send initialize again without an Mcp-Session-Id header",
  );
}

/**
 * MCP over streamable HTTP at /mcp: the same tools as `baton mcp` (one
 * factory, createMcpServer), one session per agent key. A new `initialize`
 * from a key replaces its previous connection (a host that restarted) and
 * keeps its claim: the session is the key's, as a stdio server is the agent's.
 * A session id is looked up under the caller's own key, so one agent can never
 * reach another's session. Humans are refused: tools speak for an agent host.
 */
export class McpEndpoint {
  private readonly byKey = new Map<string, Promise<KeySession>>();

  constructor(
    private readonly hub: Hub,
    private readonly version: string,
    private readonly limits: McpLimits,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
    if (principal.kind !== "agent") {
      throw new BatonError(
        "forbidden",
        `${principal.name} is a human: MCP serves agent hosts`,
        "people use the web app or the CLI; an agent connects with its own key",
      );
    }
    const keyed = await this.sessionFor(principal);
    const sessionId = req.headers["mcp-session-id"];
    if (req.method === "POST" && sessionId === undefined) {
      const body = await readJsonBody(req, this.limits.bodyBytes);
      if (!isInitializeRequest(body))
        throw new BatonError(
          "usage",
          "an MCP request without an Mcp-Session-Id header must be initialize",
          "send initialize first, then the session id it answers with on every request",
        );
      await this.connect(keyed);
      await keyed.transport!.handleRequest(req, res, body);
      return;
    }
    if (!keyed.transport || sessionId !== keyed.transport.sessionId) throw noSession();
    await keyed.transport.handleRequest(req, res);
  }

  /** The key's session, made on its first request: the agent joins, and takes up a claim it still holds. */
  private sessionFor(principal: Extract<Principal, { kind: "agent" }>): Promise<KeySession> {
    let keyed = this.byKey.get(principal.keyId);
    if (!keyed) {
      keyed = this.open(principal.name);
      this.byKey.set(principal.keyId, keyed);
      // A failed start is not remembered: the next request tries again.
      keyed.catch(() => this.byKey.delete(principal.keyId));
    }
    return keyed;
  }

  private async open(name: string): Promise<KeySession> {
    const ws = this.hub.as(name);
    const me = await ws.agents.me();
    if (me?.kind === "human")
      throw new BatonError(
        "forbidden",
        `${me.name} is a human: an agent's key cannot act under that name`,
        "give the agent a key of its own name",
      );
    const joined = await ws.agents.join({ automatic: true });
    const session = new McpSession(ws, joined.name, this.limits.maxWaitMs);
    await session.resume();
    return { session };
  }

  private async connect(keyed: KeySession): Promise<void> {
    const previous = keyed.server;
    keyed.server = undefined;
    keyed.transport = undefined;
    await previous?.close();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      maxRequestBodySize: this.limits.bodyBytes,
    });
    const server = createMcpServer(keyed.session, this.version);
    await server.connect(new RequestGate(transport, SERVED_REQUESTS));
    keyed.server = server;
    keyed.transport = transport;
  }

  async close(): Promise<void> {
    const sessions = await Promise.allSettled(this.byKey.values());
    this.byKey.clear();
    for (const result of sessions) if (result.status === "fulfilled") await result.value.server?.close();
  }
}
