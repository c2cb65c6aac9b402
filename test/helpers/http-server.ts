import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import { createHttpHandler, type HttpHandler, type HttpLimits } from "../../src/server/http/handler.js";
import { type Hub, openHub } from "../../src/services/hub.js";
import { tempRepo } from "./temp-repo.js";
import { testAuthenticator } from "./test-authenticator.js";

export interface TestServer {
  repo: string;
  hub: Hub;
  handler: HttpHandler;
  server: Server;
  url: string;
}

const running: TestServer[] = [];
afterEach(async () => {
  while (running.length) {
    const s = running.pop()!;
    await s.handler.close();
    s.server.closeAllConnections();
    await new Promise<void>((resolve) => s.server.close(() => resolve()));
    await s.hub.close();
  }
});

/** The HTTP handler over a real hub on a fresh repository, served by node:http on 127.0.0.1, a free port. */
export async function startServer(
  limits: Partial<HttpLimits> = {},
  repo = tempRepo({ humans: ["lea"] }),
): Promise<TestServer> {
  const hub = await openHub({ cwd: repo });
  const handler = createHttpHandler({ hub, authenticator: testAuthenticator, version: "0.0.0-test", limits });
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const started = { repo, hub, handler, server, url: `http://127.0.0.1:${port}` };
  running.push(started);
  return started;
}

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON documents and assert on their shape
  body: any;
}

/** One JSON request: `body` is sent as JSON (a string is sent as it is). */
export async function call(
  base: string,
  method: string,
  path: string,
  auth: Record<string, string>,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...auth,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed };
}
