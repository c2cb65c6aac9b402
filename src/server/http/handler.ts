import type { IncomingMessage, ServerResponse } from "node:http";
import { BatonError } from "../../errors.js";
import type { Hub } from "../../services/hub.js";
import { RECHECK_MS } from "../../services/wait.js";
import type { Workspace } from "../../services/workspace.js";
import type { Authenticator, Principal } from "../principal.js";
import { EventFollower } from "./event-follower.js";
import { EventStreams } from "./event-stream.js";
import { McpEndpoint } from "./mcp-endpoint.js";
import { openApiDocument } from "./openapi.js";
import { type PairingOptions, servePairing } from "./pairing.js";
import { readJsonBody } from "./request-body.js";
import { parseTarget } from "./request-target.js";
import { sendError, sendJson } from "./respond.js";
import type { Route } from "./route.js";
import { API_PREFIX, matchRoute } from "./route-table.js";
import { none } from "./routes/fields.js";
import { validate } from "./validate.js";
import { WebApp } from "./web-app.js";

export interface HttpLimits {
  /** The largest request body read (JSON API and MCP); larger is 413 without reading the rest. */
  bodyBytes: number;
  /** A comment line on every live event stream this often. */
  keepAliveMs: number;
  /** What may wait unsent for one event stream before its client is dropped. */
  streamBufferBytes: number;
  /** Live event streams one caller (a key, a device) may hold open at once. */
  streamsPerCaller: number;
  /** How often the event follower re-reads the log without a wake-up (the safety net). */
  recheckMs: number;
  /** The longest an MCP tool blocks before answering "pending". */
  mcpMaxWaitMs: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  bodyBytes: 1024 * 1024,
  keepAliveMs: 15_000,
  streamBufferBytes: 1024 * 1024,
  streamsPerCaller: 32,
  recheckMs: RECHECK_MS,
  mcpMaxWaitMs: 50_000,
};

export interface HttpHandlerOptions {
  hub: Hub;
  authenticator: Authenticator;
  /** baton's version, for the API document and MCP's initialize. */
  version: string;
  limits?: Partial<HttpLimits>;
  /** Serve the pairing page and redemption (the only routes without credentials); off when not given. */
  pairing?: PairingOptions;
  /** The human's web app (static files, no data): the built one found beside baton unless given. */
  webApp?: WebApp;
}

/** A node:http request listener, and how to stop what it runs (live streams, MCP sessions). */
export interface HttpHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Ends the live streams and MCP sessions; the hub stays open (its owner closes it). */
  close(): Promise<void>;
  /** Live event streams open now. */
  readonly streams: number;
}

function notFound(path: string): BatonError {
  return new BatonError(
    "not_found",
    `no such route: ${path.slice(0, 200)}`,
    "the API document lists every route: GET /api/v1/openapi.json",
  );
}

function wantsStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? "").toLowerCase().includes("text/event-stream");
}

/** Refuses a decision to anyone but a person: how they signed in decides, not what their record says. */
function requireHuman(principal: Principal, route: Route): void {
  if (principal.kind === "human") return;
  throw new BatonError(
    "forbidden",
    // The route's summary names what was refused ("Answer a question", "What this device is notified of"):
    // quoted, it reads right whatever its grammar.
    `${principal.name} signs in with an agent's key, and "${route.summary.replace(/ \(.*\)$/, "")}" is for humans only`,
    "ask a human: questions and approvals wait for them in baton status",
    { operation: route.operationId },
  );
}

/**
 * The hub server's HTTP face: the JSON API under /api/v1 (every service,
 * validated by each route's schema), its OpenAPI document, the live event
 * stream, and MCP over streamable HTTP at /mcp. No framework: a node:http
 * listener that `baton serve` mounts.
 *
 * Every request is authenticated first, and the principal is who acts: each
 * request gets a session `hub.as(principal.name)`, and nothing in a request
 * can name another identity to act as.
 */
export function createHttpHandler(options: HttpHandlerOptions): HttpHandler {
  const { hub, authenticator, version } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const follower = new EventFollower(hub.store, limits.recheckMs);
  const streams = new EventStreams(hub.store, follower, {
    keepAliveMs: limits.keepAliveMs,
    bufferBytes: limits.streamBufferBytes,
    perCaller: limits.streamsPerCaller,
  });
  const webApp = options.webApp ?? new WebApp();
  const mcp = new McpEndpoint(hub, version, { bodyBytes: limits.bodyBytes, maxWaitMs: limits.mcpMaxWaitMs });
  let document: string | undefined;
  /** Humans whose record this server has seen to be a human's. */
  const humans = new Set<string>();

  /**
   * A paired person's record is a human's, so the store's own checks (only a
   * human decides, reopens a done task, removes another agent) agree with how
   * they signed in. Made so on their first request to this server.
   */
  async function session(principal: Principal, signal: AbortSignal): Promise<Workspace> {
    const ws = hub.as(principal.name, { signal });
    if (principal.kind === "human" && !humans.has(principal.name)) {
      if ((await ws.agents.me())?.kind !== "human") await ws.agents.join({ kind: "human" });
      humans.add(principal.name);
    }
    return ws;
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = parseTarget(req.url);
    if (
      target.segments[0] !== "api" &&
      target.segments[0] !== "mcp" &&
      webApp.serve(req, res, target.segments)
    )
      return;
    const pairing = options.pairing;
    if (
      pairing &&
      (await servePairing(hub, pairing, req, res, `/${target.segments.join("/")}`, limits.bodyBytes))
    )
      return;
    const principal = await authenticator.authenticate(req);
    const method = req.method ?? "GET";
    const { segments } = target;
    if (segments.length === 1 && segments[0] === "mcp") return mcp.handle(req, res, principal);
    const path = `/${segments.join("/")}`;
    if (segments[0] !== API_PREFIX[0] || segments[1] !== API_PREFIX[1]) throw notFound(path);
    const rest = segments.slice(API_PREFIX.length);
    if (rest.length === 1 && rest[0] === "openapi.json") {
      if (method !== "GET") return refuseMethod(res, ["GET"]);
      document ??= JSON.stringify(openApiDocument(version));
      return sendJson(res, 200, JSON.parse(document));
    }
    const match = matchRoute(method, rest);
    if (match.kind === "none") throw notFound(path);
    if (match.kind === "method") return refuseMethod(res, match.allow);
    const { route, params } = match;
    if (route.operationId === "listEvents" && wantsStream(req))
      return streams.serve(
        req,
        res,
        target.query,
        principal.kind === "agent" ? principal.keyId : principal.deviceId,
      );
    const query = validate(route.query ?? none, target.query, "query");
    const raw = route.method === "GET" ? undefined : await readJsonBody(req, limits.bodyBytes);
    const body = validate(route.body ?? none, raw ?? {}, "body");
    if (route.humanOnly) requireHuman(principal, route);
    // A client that hangs up ends what its request waits for (`wait` on a question, an inbox).
    const gone = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) gone.abort();
    });
    const ws = await session(principal, gone.signal);
    const result = await route.run({ ws, principal, params, body, query });
    sendJson(res, route.creates ? 201 : 200, result);
  }

  function refuseMethod(res: ServerResponse, allow: string[]): void {
    sendError(
      res,
      new BatonError(
        "method_not_allowed",
        `this route takes ${allow.join(", ")}`,
        `send ${allow.join(" or ")}`,
        {
          allow,
        },
      ),
      { Allow: allow.join(", ") },
    );
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    serve(req, res).catch((error: unknown) => {
      // A body left unread (too large, not JSON) is not read at all: the connection closes after the answer.
      const unread = !req.complete;
      sendError(res, error, unread ? { Connection: "close" } : {});
    });
  };
  Object.defineProperty(handler, "streams", { get: () => streams.count });
  return Object.assign(handler, {
    async close(): Promise<void> {
      follower.close();
      streams.close();
      await mcp.close();
    },
  }) as HttpHandler;
}
