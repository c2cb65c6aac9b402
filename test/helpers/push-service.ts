import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  type ECDH,
  hkdfSync,
  randomBytes,
  verify,
} from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";

/**
 * A push service of our own, standing in for the browser vendor's (FCM,
 * Mozilla's autopush): an HTTP server on 127.0.0.1 that takes what the hub
 * POSTs to a subscription's endpoint, checks its VAPID JWT against the hub's
 * key (RFC 8292), and decrypts the body (RFC 8291) with the keys the test
 * made as a browser would. Written from the RFCs, apart from baton's sender.
 */

/** A browser's half of a subscription: its P-256 key pair and auth secret. */
export interface BrowserKeys {
  ecdh: ECDH;
  p256dh: string;
  auth: string;
}

export function browserKeys(): BrowserKeys {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return {
    ecdh,
    p256dh: ecdh.getPublicKey().toString("base64url"),
    auth: randomBytes(16).toString("base64url"),
  };
}

/** RFC 8291 §3-4, the receiving side: the plaintext of an aes128gcm body of one record. */
export function decryptPush(body: Buffer, keys: { ecdh: ECDH; auth: string }): Buffer {
  const salt = body.subarray(0, 16);
  const idlen = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  const receiverPublic = keys.ecdh.getPublicKey();
  const shared = keys.ecdh.computeSecret(senderPublic);
  const info = (text: string, ...parts: Buffer[]) => Buffer.concat([Buffer.from(`${text}\0`), ...parts]);
  const auth = Buffer.from(keys.auth, "base64url");
  const ikm = Buffer.from(
    hkdfSync("sha256", shared, auth, info("WebPush: info", receiverPublic, senderPublic), 32),
  );
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, info("Content-Encoding: aes128gcm"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, info("Content-Encoding: nonce"), 12));
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with 0x02, then zero padding: strip from the end.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("no last-record delimiter");
  return padded.subarray(0, end);
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
}

/** RFC 8292: `vapid t=JWT, k=KEY`, its ES256 signature by KEY, for `origin`, not expired, at most 24 h. */
export function verifyVapid(
  authorization: string,
  origin: string,
  now = Date.now(),
): { key: string; claims: VapidClaims } {
  const match = /^vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), k=([\w-]+)$/.exec(authorization);
  if (!match) throw new Error(`not a vapid Authorization: ${authorization}`);
  const [, header, payload, signature, key] = match as unknown as [string, string, string, string, string];
  const raw = Buffer.from(key, "base64url");
  if (raw.length !== 65 || raw[0] !== 4) throw new Error("k is not an uncompressed P-256 key");
  const publicKey = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: raw.subarray(1, 33).toString("base64url"),
      y: raw.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  const signed = verify(
    "sha256",
    Buffer.from(`${header}.${payload}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!signed) throw new Error("the VAPID signature does not verify");
  const head = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg: string };
  if (head.alg !== "ES256") throw new Error(`alg ${head.alg}`);
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as VapidClaims;
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not ${origin}`);
  const seconds = now / 1000;
  if (!(claims.exp > seconds && claims.exp <= seconds + 24 * 3600))
    throw new Error(`exp ${claims.exp} out of range`);
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub ${claims.sub}`);
  return { key, claims };
}

export interface ReceivedPush {
  /** The subscription's name (the endpoint's last segment). */
  name: string;
  headers: Record<string, string | string[] | undefined>;
  /** The VAPID public key the push was signed with. */
  key: string;
  // biome-ignore lint/suspicious/noExplicitAny: the hub's payload, checked by the tests
  payload: any;
  raw: Buffer;
}

export interface PushServiceStandIn {
  /** A new subscription's keys and endpoint, as `PushSubscription.toJSON()` gives them. */
  subscribe(name: string): {
    endpoint: string;
    expirationTime: null;
    keys: { p256dh: string; auth: string };
  } & {
    browser: BrowserKeys;
  };
  /** What the named subscription's endpoint answers from now on (201 until told; 410: gone). */
  answer(name: string, status: number): void;
  received: ReceivedPush[];
  /** Pushes refused for a bad signature or body (none expected). */
  faults: string[];
  /** Resolves once `count` pushes have arrived in all. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedPush[]>;
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!();
});

export async function startPushService(): Promise<PushServiceStandIn> {
  const subscriptions = new Map<string, BrowserKeys>();
  const answers = new Map<string, number>();
  const received: ReceivedPush[] = [];
  const faults: string[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const name = (req.url ?? "").split("/").pop() ?? "";
      const keys = subscriptions.get(name);
      const status = answers.get(name) ?? 201;
      try {
        if (req.method !== "POST" || !keys) throw new Error(`${req.method} ${req.url}: no such subscription`);
        if (req.headers["content-encoding"] !== "aes128gcm") throw new Error("not aes128gcm");
        if (!/^\d+$/.test(String(req.headers.ttl))) throw new Error("no TTL");
        const { key } = verifyVapid(String(req.headers.authorization), origin);
        const raw = Buffer.concat(chunks);
        const payload = JSON.parse(decryptPush(raw, keys).toString("utf8"));
        if (status < 300) received.push({ name, headers: req.headers, key, payload, raw });
        res.writeHead(status).end();
      } catch (error) {
        faults.push(String(error instanceof Error ? error.message : error));
        res.writeHead(400).end();
      }
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  open.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    subscribe(name) {
      const browser = browserKeys();
      subscriptions.set(name, browser);
      return {
        endpoint: `${origin}/push/${name}`,
        expirationTime: null,
        keys: { p256dh: browser.p256dh, auth: browser.auth },
        browser,
      };
    },
    answer(name, status) {
      answers.set(name, status);
    },
    received,
    faults,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(
            `${received.length} pushes of ${count} arrived (faults: ${faults.join("; ") || "none"})`,
          );
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received;
    },
  };
}
