import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRepo } from "../../../test/helpers/temp-repo.js";
import { ManualClock } from "../../clock.js";
import { ERRORS, isBatonError, toBatonError } from "../../errors.js";
import { type Hub, openHub } from "../../services/hub.js";
import { hashSecret, KEY_PREFIX, newSecret, PAIRING_PREFIX } from "../../services/secrets.js";
import { StoreAuthenticator } from "./authenticator.js";
import { servedNames } from "./origin-check.js";
import { RateLimiter } from "./rate-limit.js";
import { redeemPairing } from "./session-cookie.js";

/**
 * The auth matrix through a real HTTP server on 127.0.0.1, the real SQLite
 * store and the real services: each request is authenticated, then acts as the
 * principal (never as anything the request names). Every refusal is checked
 * for its status and code, and for having changed nothing.
 */

interface Answer {
  status: number;
  body: { code?: string; hint?: string; principal?: unknown; approval?: { status: string } };
}

let hub: Hub;
let server: Server;
let port: number;
let clock: ManualClock;
let limiter: RateLimiter;

beforeEach(async () => {
  clock = new ManualClock();
  const repo = tempRepo({ humans: ["lea"] });
  hub = await openHub({ cwd: repo, clock });
  await hub.as("lea").agents.join({ kind: "human" });
  await hub.as("claude-1").agents.join({ kind: "claude" });
  await hub.as("claude-1").human.requestApproval("drop the users table");
  limiter = new RateLimiter({ perSecond: 50, burst: 100, clock });
  server = createServer((req, res) => {
    const auth = new StoreAuthenticator({
      store: hub.store,
      config: () => hub.config,
      served: servedNames(port),
      limiter,
    });
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    (async () => {
      const principal = await auth.authenticate(req);
      // The principal fixes the name: `?as=` is what a forged request would try, and is ignored.
      const ws = hub.as(principal.name);
      if (req.method === "POST" && req.url?.startsWith("/approve/")) {
        const approval = await ws.human.decide(req.url.slice("/approve/".length), true);
        return reply(200, { principal, approval });
      }
      return reply(200, { principal });
    })().catch((error: unknown) => {
      const e = toBatonError(error);
      reply(ERRORS[e.code].http, { code: e.code, hint: e.hint });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await hub.close();
});

function send(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function makeKey(agent: string): Promise<{ secret: string; id: string }> {
  const secret = newSecret(KEY_PREFIX);
  const key = await hub.store.createKey({ actor: "lea", agent, role: null, secretHash: hashSecret(secret) });
  return { secret, id: key.id };
}

async function pairingLink(ttlMs = 600_000): Promise<string> {
  const token = newSecret(PAIRING_PREFIX);
  await hub.store.createPairing({ actor: "lea", human: "lea", tokenHash: hashSecret(token), ttlMs });
  return token;
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const approvalStatus = async () => (await hub.as("lea").human.approval("A-1")).status;

describe("the hub's authentication and authorisation", () => {
  it("a live key is its agent, whatever the request says it is", async () => {
    const { secret, id } = await makeKey("claude-1");
    const answer = await send("GET", "/whoami?as=lea", { ...bearer(secret), "x-baton-agent": "lea" });
    expect(answer).toEqual({
      status: 200,
      body: { principal: { kind: "agent", name: "claude-1", keyId: id } },
    });
  });

  it.each([
    ["no credentials", {}],
    ["a wrong key", { authorization: `Bearer ${newSecret(KEY_PREFIX)}` }],
    ["not a Bearer", { authorization: "Basic bGVhOmxlYQ==" }],
    ["an unknown session cookie", { cookie: "baton_session=bs_nothing" }],
  ])("%s: 401 unauthorized, with a hint, and nothing changes", async (_, headers) => {
    const answer = await send("POST", "/approve/A-1", headers);
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe("unauthorized");
    expect(answer.body.hint).toMatch(/baton (key create|pair)/);
    expect(await approvalStatus()).toBe("pending");
  });

  it("a revoked key: 401 at the very next request", async () => {
    const { secret, id } = await makeKey("claude-1");
    expect((await send("GET", "/", bearer(secret))).status).toBe(200);
    await hub.as("lea").store.revokeKey({ actor: "lea", id });
    expect(await send("GET", "/", bearer(secret))).toMatchObject({
      status: 401,
      body: { code: "unauthorized" },
    });
  });

  it("an agent's key cannot decide an approval: 403 forbidden, nothing changes", async () => {
    const { secret } = await makeKey("claude-1");
    const answer = await send("POST", "/approve/A-1", bearer(secret));
    expect(answer).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await approvalStatus()).toBe("pending");
  });

  it("a key made for a name later named a human does not carry a person's powers", async () => {
    const { secret } = await makeKey("bob");
    hub.config.humans.push("bob");
    expect(await send("POST", "/approve/A-1", bearer(secret))).toMatchObject({
      status: 403,
      body: { code: "forbidden" },
    });
    expect(await approvalStatus()).toBe("pending");
  });

  it("a paired browser is its human; a write needs the CSRF token, which is the session's", async () => {
    const token = await pairingLink();
    const paired = await redeemPairing(hub.store, token, "Firefox on Linux");
    expect(paired.setCookie).toMatch(/^baton_session=bs_[\w-]+; HttpOnly; SameSite=Strict; Path=\/$/);
    const cookie = paired.setCookie.split(";")[0]!;
    const read = await send("GET", "/", { cookie });
    expect(read.body.principal).toMatchObject({ kind: "human", name: "lea", deviceId: paired.device.id });

    const noToken = await send("POST", "/approve/A-1", { cookie });
    expect(noToken).toMatchObject({ status: 403, body: { code: "forbidden" } });
    const wrongToken = await send("POST", "/approve/A-1", { cookie, "x-csrf-token": "x".repeat(43) });
    expect(wrongToken).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await approvalStatus()).toBe("pending");

    const decided = await send("POST", "/approve/A-1", { cookie, "x-csrf-token": paired.csrfToken });
    expect(decided).toMatchObject({ status: 200, body: { approval: { status: "approved" } } });
  });

  it("another device's CSRF token does not pass for this one", async () => {
    const first = await redeemPairing(hub.store, await pairingLink(), "phone");
    const second = await redeemPairing(hub.store, await pairingLink(), "laptop");
    const answer = await send("POST", "/approve/A-1", {
      cookie: first.setCookie.split(";")[0]!,
      "x-csrf-token": second.csrfToken,
    });
    expect(answer).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await approvalStatus()).toBe("pending");
  });

  it("a revoked device: 401 at the very next request", async () => {
    const paired = await redeemPairing(hub.store, await pairingLink(), "phone");
    const cookie = paired.setCookie.split(";")[0]!;
    expect((await send("GET", "/", { cookie })).status).toBe(200);
    await hub.store.revokeDevice({ actor: "lea", id: paired.device.id });
    expect(await send("GET", "/", { cookie })).toMatchObject({ status: 401, body: { code: "unauthorized" } });
  });

  it("an expired pairing link and a reused one pair nothing", async () => {
    const expiring = await pairingLink(60_000);
    clock.advance(60_000);
    await expect(redeemPairing(hub.store, expiring, "phone")).rejects.toMatchObject({ code: "unauthorized" });
    const once = await pairingLink();
    await redeemPairing(hub.store, once, "phone");
    const reuse = await redeemPairing(hub.store, once, "attacker").catch((e: unknown) => e);
    expect(isBatonError(reuse) && reuse.code).toBe("unauthorized");
    expect((await hub.store.listDevices()).map((d) => d.name)).toEqual(["phone"]);
  });

  it("a device of a human taken out of the config is refused", async () => {
    const paired = await redeemPairing(hub.store, await pairingLink(), "phone");
    hub.config.humans.splice(0);
    const answer = await send("GET", "/", { cookie: paired.setCookie.split(";")[0]! });
    expect(answer).toMatchObject({ status: 403, body: { code: "forbidden" } });
  });

  it.each([
    ["a forged Host (DNS rebinding)", { host: "evil.example:7345" }],
    ["a Host on another port", { host: "127.0.0.1:1" }],
    ["a foreign Origin", { origin: "http://evil.example" }],
    ["an Origin of https where the hub is http", { origin: "https://127.0.0.1:PORT" }],
    ["the null Origin", { origin: "null" }],
  ])("%s: 403 forbidden before any credential is looked at, nothing changes", async (_, forged) => {
    const paired = await redeemPairing(hub.store, await pairingLink(), "phone");
    const headers = Object.fromEntries(
      Object.entries(forged).map(([k, v]) => [k, v.replace("PORT", String(port))]),
    );
    const answer = await send("POST", "/approve/A-1", {
      cookie: paired.setCookie.split(";")[0]!,
      "x-csrf-token": paired.csrfToken,
      ...headers,
    });
    expect(answer).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await approvalStatus()).toBe("pending");
  });

  it("the hub's own names and Origin are accepted: localhost and [::1] too", async () => {
    const { secret } = await makeKey("claude-1");
    for (const host of [`localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const answer = await send("GET", "/", { ...bearer(secret), host, origin: `http://${host}` });
      expect(answer.status, host).toBe(200);
    }
  });

  it("over the rate limit: 429 rate_limited with the seconds to wait, per key", async () => {
    const busy = await makeKey("claude-1");
    const quiet = await makeKey("claude-2");
    for (let i = 0; i < 100; i++) expect((await send("GET", "/", bearer(busy.secret))).status).toBe(200);
    const over = await send("GET", "/", bearer(busy.secret));
    expect(over).toMatchObject({ status: 429, body: { code: "rate_limited" } });
    expect((await send("GET", "/", bearer(quiet.secret))).status).toBe(200);
    clock.advance(1000);
    expect((await send("GET", "/", bearer(busy.secret))).status).toBe(200);
  });
});
