import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { browserKeys, decryptPush, verifyVapid } from "../../../test/helpers/push-service.js";
import { checkPushEndpoint, inQuietHours } from "../../domain/push.js";
import { encryptPushPayload } from "./encrypt.js";
import { guardedLookup, pushAddressAllowed } from "./push-address.js";
import { sendPush } from "./send.js";
import { loadVapidKeys, vapidAuthorization } from "./vapid.js";

const b64 = (text: string) => Buffer.from(text, "base64url");

describe("Web Push encryption (RFC 8291)", () => {
  it("gives the RFC's example message byte for byte (§5, Appendix A)", () => {
    const body = encryptPushPayload(
      Buffer.from("When I grow up, I want to be a watermelon"),
      {
        p256dh: b64(
          "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
        ),
        auth: b64("BTBZMqHH6r4Tts7J_aSIgg"),
      },
      {
        senderPrivateKey: b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"),
        salt: b64("DGv6ra1nlYgDCS1FRnbzlw"),
      },
    );
    expect(body.toString("base64url")).toBe(
      "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
    );
  });

  it("round-trips through a browser's decryption, with a fresh key and salt each time", () => {
    const browser = browserKeys();
    const keys = { p256dh: b64(browser.p256dh), auth: b64(browser.auth) };
    const text = JSON.stringify({ title: "lea", body: "é ✓ ".repeat(300), tag: "Q-3", url: "/inbox/Q-3" });
    const one = encryptPushPayload(Buffer.from(text), keys);
    const two = encryptPushPayload(Buffer.from(text), keys);
    expect(one.equals(two)).toBe(false);
    expect(decryptPush(one, browser).toString()).toBe(text);
    expect(decryptPush(two, browser).toString()).toBe(text);
    // Another browser's keys cannot read it.
    expect(() => decryptPush(one, browserKeys())).toThrow();
  });

  it("refuses a payload larger than one record, and keys of the wrong size", () => {
    const browser = browserKeys();
    const keys = { p256dh: b64(browser.p256dh), auth: b64(browser.auth) };
    expect(() => encryptPushPayload(Buffer.alloc(5000), keys)).toThrow(/at most/);
    expect(() => encryptPushPayload(Buffer.from("x"), { ...keys, auth: Buffer.alloc(8) })).toThrow(
      /16 bytes/,
    );
  });
});

describe("VAPID (RFC 8292)", () => {
  it("makes the key file once, private and ignored by git, and signs JWTs a push service verifies", () => {
    const root = mkdtempSync(join(tmpdir(), "baton-vapid-"));
    const keys = loadVapidKeys(root);
    const path = join(root, ".baton", "vapid.json");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(root, ".baton", ".gitignore"), "utf8")).toMatch(/^vapid\.json$/m);
    expect(loadVapidKeys(root).publicKey).toBe(keys.publicKey);
    const now = Date.now();
    const header = vapidAuthorization(
      keys,
      "https://push.example.net/send/abc",
      "mailto:ops@example.net",
      now,
    );
    const { key, claims } = verifyVapid(header, "https://push.example.net", now);
    expect(key).toBe(keys.publicKey);
    expect(claims.sub).toBe("mailto:ops@example.net");
    expect(() => verifyVapid(header, "https://other.example.net", now)).toThrow(/aud/);
  });

  it("adds the key file to a .baton/.gitignore written before push existed, once", () => {
    const root = mkdtempSync(join(tmpdir(), "baton-vapid-"));
    loadVapidKeys(root); // makes .baton/
    writeFileSync(join(root, ".baton", ".gitignore"), "baton.db\nhub.json");
    loadVapidKeys(root);
    loadVapidKeys(root);
    expect(readFileSync(join(root, ".baton", ".gitignore"), "utf8").match(/^vapid\.json$/gm)).toHaveLength(1);
  });
});

describe("push rules", () => {
  it("pushes only to https push services on host names (no SSRF into the hub's network)", () => {
    expect(checkPushEndpoint("https://fcm.googleapis.com/fcm/send/abc", false)).toBe(
      "https://fcm.googleapis.com/fcm/send/abc",
    );
    for (const bad of [
      "http://fcm.googleapis.com/x",
      "https://127.0.0.1/x",
      "https://10.0.0.8/x",
      "https://[::1]/x",
      "https://localhost/x",
      "https://localhost./x",
      "https://LOCALHOST../x",
      "https://push.localhost/x",
      "https://intranet/x",
      "https://push.example.com:8443/x",
      "https://user:pw@push.example.com/x",
      "file:///etc/passwd",
      `https://push.example.com/${"a".repeat(1100)}`,
      "not a url",
    ])
      expect(() => checkPushEndpoint(bad, false), bad).toThrow(/refused/);
    expect(() => checkPushEndpoint("http://127.0.0.1:9/x", false)).toThrow(/refused/);
    expect(checkPushEndpoint("http://127.0.0.1:9/x", true)).toBe("http://127.0.0.1:9/x");
    expect(() => checkPushEndpoint("http://10.0.0.8:9/x", true)).toThrow(/refused/);
  });

  it("reads quiet hours on the device's clock, across midnight and in its zone", () => {
    const at = (iso: string) => Date.parse(iso);
    const night = { start: "22:00", end: "07:00", timeZone: "Europe/Paris" };
    expect(inQuietHours(night, at("2025-01-15T21:30:00Z"))).toBe(true); // 22:30 in Paris
    expect(inQuietHours(night, at("2025-01-15T05:59:00Z"))).toBe(true); // 06:59
    expect(inQuietHours(night, at("2025-01-15T06:00:00Z"))).toBe(false); // 07:00
    expect(inQuietHours(night, at("2025-01-15T12:00:00Z"))).toBe(false);
    const lunch = { start: "12:00", end: "13:00", timeZone: "America/New_York" };
    expect(inQuietHours(lunch, at("2025-07-01T16:30:00Z"))).toBe(true); // 12:30 EDT
    expect(inQuietHours(lunch, at("2025-07-01T12:30:00Z"))).toBe(false);
    expect(inQuietHours(null, Date.now())).toBe(false);
  });

  it("pushes only to public addresses, whatever the host name resolves to (SSRF by DNS)", async () => {
    for (const inside of [
      "127.0.0.1",
      "10.0.0.8",
      "172.20.1.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:a00:8",
      "64:ff9b::a00:8",
      "fe80::1",
      "fd00::1",
      "ff02::1",
      "not an address",
    ])
      expect(pushAddressAllowed(inside, false), inside).toBe(false);
    for (const outside of ["142.250.74.10", "8.8.8.8", "2a00:1450:4007:80e::200a"])
      expect(pushAddressAllowed(outside, false), outside).toBe(true);
    expect(pushAddressAllowed("127.0.0.1", true)).toBe(true);
    expect(pushAddressAllowed("10.0.0.8", true)).toBe(false);

    // A name that resolves to this host (here `localhost`, from /etc/hosts) is refused as the socket connects.
    const lookup = (allow: boolean) =>
      new Promise<string>((resolve) =>
        guardedLookup(allow)("localhost", {}, (error, address) =>
          resolve(error ? String(error.code) : String(address)),
        ),
      );
    expect(await lookup(false)).toBe("EPUSHADDRESS");
    expect(await lookup(true)).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  it("checks a stored endpoint again when pushing: a loopback one is not pushed to once loopback is off", async () => {
    let hits = 0;
    const service = createServer((req, res) => {
      hits++;
      req.resume();
      res.writeHead(201).end();
    });
    await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
    try {
      const root = mkdtempSync(join(tmpdir(), "baton-push-"));
      const keys = browserKeys();
      const subscription = {
        device: "D-1",
        endpoint: `http://localhost:${(service.address() as AddressInfo).port}/push`,
        p256dh: keys.p256dh,
        auth: keys.auth,
        createdAt: 0,
      };
      const payload = { title: "t", body: "b", tag: "Q-1", url: "/inbox/Q-1" };
      const options = { vapid: loadVapidKeys(root), subject: "mailto:a@example.com", now: Date.now() };
      expect(await sendPush(subscription, payload, options)).toMatchObject({ kind: "failed" });
      expect(hits).toBe(0);
      expect(await sendPush(subscription, payload, { ...options, allowLoopback: true })).toEqual({
        kind: "sent",
      });
      expect(hits).toBe(1);
    } finally {
      service.close();
    }
  });
});
