import { request } from "node:http";
import { connect } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { ROUTES } from "../../src/server/http/route-table.js";
import { startServer } from "../helpers/http-server.js";

const AUTH = { authorization: "Bearer test-fuzz" };
const LIMIT = 64 * 1024;

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Sends a request as written (node's client does not resolve `..` as fetch does); the status, or how it failed. */
function send(base: string, sent: Sent): Promise<number | string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    let req: ReturnType<typeof request>;
    try {
      req = request(
        { host: hostname, port, method: sent.method, path: sent.path, headers: sent.headers, agent: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
    } catch (error) {
      // The client itself refuses it (a path with a space or NUL): sent raw below instead.
      resolve(`client refused: ${(error as Error).message}`);
      return;
    }
    req.on("error", (error) => resolve(`error ${(error as NodeJS.ErrnoException).code}`));
    req.end(sent.body);
  });
}

/** Bytes on a socket, for what no HTTP client will send: the status line the server answers with. */
function sendRaw(base: string, text: string): Promise<number | string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.end(text, "latin1"));
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
    });
    socket.on("close", () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve(status ? Number(status[1]) : `no answer: ${JSON.stringify(answer.slice(0, 80))}`);
    });
    socket.on("error", () => undefined);
  });
}

const withBody = ROUTES.filter((route) => route.body !== undefined);
const json = { ...AUTH, "content-type": "application/json" };
/** A concrete path for a route: each parameter a plausible id. */
const pathOf = (template: string) => `/api/v1${template.replace(/\{\w+\}/g, "T-1")}`;

const routeWithBody = fc.constantFrom(...withBody);
const notJson = fc
  .oneof(
    fc.string(),
    fc.constantFrom("{", '{"title":', "[1,", "{'a':1}", "nul", '{"a":1}}', "\u0000", '{"title":"x"} x'),
  )
  .filter((text) => {
    try {
      JSON.parse(text);
      return text.trim() === "";
    } catch {
      return true;
    }
  })
  .filter((text) => text.trim() !== "");
const wrongValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer()),
  fc.object(),
  fc.string(),
);
const unknownKey = fc.string({ minLength: 1, maxLength: 20 });

/** Each family of malformed requests; each must be answered 4xx. */
const malformed: fc.Arbitrary<Sent | { raw: string }> = fc.oneof(
  // bad JSON
  fc
    .tuple(routeWithBody, notJson)
    .map(([route, body]) => ({ method: route.method, path: pathOf(route.path), headers: json, body })),
  // a field of the wrong type
  fc
    .tuple(routeWithBody, wrongValue, fc.nat())
    .map(([route, value, pick]) => {
      const shape = (route.body as unknown as z.ZodObject<z.ZodRawShape>).shape ?? {};
      const keys = Object.keys(shape);
      return { route, body: keys.length ? { [keys[pick % keys.length]!]: value } : { x: value } };
    })
    .filter(({ route, body }) => {
      try {
        return !route.body!.safeParse(body).success;
      } catch {
        return true; // a transform refused it (a bad duration): refused by the handler too
      }
    })
    .map(({ route, body }) => ({
      method: route.method,
      path: pathOf(route.path),
      headers: json,
      body: JSON.stringify(body),
    })),
  // an unknown field
  fc
    .tuple(routeWithBody, unknownKey)
    .filter(
      ([route, key]) =>
        !Object.hasOwn((route.body as unknown as z.ZodObject<z.ZodRawShape>).shape ?? {}, key),
    )
    .map(([route, key]) => ({
      method: route.method,
      path: pathOf(route.path),
      headers: json,
      body: JSON.stringify({ [key]: 1 }),
    })),
  // too large, declared or streamed
  fc
    .tuple(routeWithBody, fc.integer({ min: LIMIT + 1, max: LIMIT * 8 }), fc.boolean())
    .map(([route, size, chunked]) => ({
      method: route.method,
      path: pathOf(route.path),
      headers: chunked ? { ...json, "transfer-encoding": "chunked" } : json,
      body: Buffer.alloc(size, 0x20),
    })),
  // path tricks
  fc
    .tuple(
      fc.constantFrom("/api/v1/tasks/", "/api/v1/", "/api/v1/tasks/T-1/", "/", "/mcp/", "/api/v1/leases/"),
      fc.constantFrom(
        "..",
        "../..",
        "%2e%2e",
        "%2E%2e/%2e%2E",
        ".",
        "%2e",
        "a%2fb",
        "a%5cb",
        "%00",
        "%0a",
        "..%2f..",
        "%zz",
        "%",
        "T-1/../../openapi.json",
      ),
      fc.constantFrom("", "/", "/claim", "?x=1"),
    )
    .map(([prefix, trick, suffix]) => ({ method: "GET", path: `${prefix}${trick}${suffix}`, headers: AUTH })),
  // very long URLs
  fc
    .integer({ min: 8200, max: 15000 })
    .map((length) => ({ method: "GET", path: `/api/v1/tasks?queue=${"q".repeat(length)}`, headers: AUTH })),
  // wrong content types
  fc
    .tuple(
      routeWithBody,
      fc.constantFrom(
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "text/json",
      ),
    )
    .map(([route, type]) => ({
      method: route.method,
      path: pathOf(route.path),
      headers: { ...AUTH, "content-type": type },
      body: "{}",
    })),
  // wrong methods
  fc
    .tuple(fc.constantFrom(...ROUTES), fc.constantFrom("PUT", "OPTIONS", "TRACE", "PROPFIND"))
    .map(([route, method]) => ({ method, path: pathOf(route.path), headers: AUTH })),
  // queries: unknown, repeated, malformed values
  fc
    .tuple(
      fc.constantFrom(
        "/api/v1/tasks",
        "/api/v1/events",
        "/api/v1/questions",
        "/api/v1/leases",
        "/api/v1/escalations",
      ),
      fc.constantFrom(
        "?zzz=1",
        "?status=open&status=done",
        "?ready=yes",
        "?limit=-1",
        "?after=abc",
        "?open=TRUE",
        "?__proto__=1",
        "?constructor=1",
        "?holder=",
      ),
    )
    .map(([path, query]) => ({ method: "GET", path: `${path}${query}`, headers: AUTH })),
  // no, or bad, credentials
  fc
    .tuple(
      fc.constantFrom(...ROUTES),
      fc.constantFrom("", "Bearer", "Bearer test-", "Basic dGVzdA==", "Bearer test-a b"),
    )
    .map(([route, authorization]) => ({
      method: route.method,
      path: pathOf(route.path),
      headers: (authorization ? { authorization } : {}) as Record<string, string>,
    })),
  // what no client sends: NUL and spaces in the target, bare LF, a bad version
  fc
    .constantFrom(
      "GET /api/v1/tasks/T-1\u0000 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-fuzz\r\n\r\n",
      "GET /api/v1/tasks/T 1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-fuzz\r\n\r\n",
      "GET /api/v1/tasks HTTP/9.9\r\nHost: x\r\n\r\n",
      "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-fuzz\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{}",
      "GET api/v1/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-fuzz\r\n\r\n",
    )
    .map((raw) => ({ raw })),
);

describe("malformed requests", () => {
  it("are all answered 4xx, and the server still answers afterwards", async () => {
    const { url } = await startServer({ bodyBytes: LIMIT });
    const answers = new Map<string, number>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(malformed, async (request) => {
        const status = "raw" in request ? await sendRaw(url, request.raw) : await send(url, request);
        sent++;
        answers.set(String(status), (answers.get(String(status)) ?? 0) + 1);
        const what =
          "raw" in request ? JSON.stringify(request.raw) : `${request.method} ${request.path.slice(0, 120)}`;
        expect(typeof status === "number" && status >= 400 && status < 500, `${what} → ${status}`).toBe(true);
      }),
      { numRuns: 1200 },
    );
    expect(sent).toBeGreaterThanOrEqual(1000);
    // Still serving, and nothing was written by any of them.
    const alive = await fetch(`${url}/api/v1/tasks?status=all`, { headers: AUTH });
    expect(alive.status).toBe(200);
    expect(((await alive.json()) as { tasks: unknown[] }).tasks).toEqual([]);
    console.log("malformed requests by answer:", Object.fromEntries(answers));
  }, 240_000);
});
