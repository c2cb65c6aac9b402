import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { LAST_USE_PRECISION_MS } from "../../src/domain/access.js";
import {
  hashSecret,
  KEY_PREFIX,
  newSecret,
  PAIRING_PREFIX,
  SESSION_PREFIX,
} from "../../src/services/secrets.js";
import type { Store } from "../../src/store/port.js";
import { expectCode } from "./refusal.js";
import type { StoreFactory } from "./store-conformance.js";

const MIN = 60_000;

/**
 * Access to the hub server as every backend must keep it: keys and device
 * sessions found by the hash of their secret, revocation at once, a pairing
 * link redeemed once before it expires, only humans making or revoking any of
 * them, and a log that never holds a secret.
 */
export function describeAuthConformance(backend: string, factory: StoreFactory): void {
  describe(`access (keys, pairings, devices): ${backend}`, () => {
    let clock: ManualClock;
    let store: Store;

    beforeEach(async () => {
      clock = new ManualClock();
      store = await factory(clock);
      await store.joinAgent({ actor: "lea", kind: "human" });
      await store.joinAgent({ actor: "claude-1", kind: "claude" });
      return () => store.close();
    });

    const makeKey = async (agent = "claude-1", actor = "lea") => {
      const secret = newSecret(KEY_PREFIX);
      const key = await store.createKey({ actor, agent, role: "backend", secretHash: hashSecret(secret) });
      return { key, secret };
    };
    const pair = async (ttlMs = 10 * MIN) => {
      const token = newSecret(PAIRING_PREFIX);
      const pairing = await store.createPairing({
        actor: "lea",
        human: "lea",
        tokenHash: hashSecret(token),
        ttlMs,
      });
      return { pairing, token };
    };
    const redeem = (token: string, session = newSecret(SESSION_PREFIX)) =>
      store.redeemPairing({
        tokenHash: hashSecret(token),
        deviceName: "Firefox on Linux",
        secretHash: hashSecret(session),
      });

    it("a key is found by its secret's hash and names its one agent; an unknown secret finds nothing", async () => {
      const { key, secret } = await makeKey();
      expect(key).toMatchObject({
        id: "K-1",
        agent: "claude-1",
        role: "backend",
        createdBy: "lea",
        revokedAt: null,
      });
      expect(await store.useKey({ secretHash: hashSecret(secret) })).toMatchObject({
        id: "K-1",
        agent: "claude-1",
      });
      expect(await store.useKey({ secretHash: hashSecret(newSecret(KEY_PREFIX)) })).toBeNull();
      // The store holds the hash: the secret itself, given as if it were one, finds nothing.
      expect(await store.useKey({ secretHash: secret })).toBeNull();
    });

    it("records a key's last use, at most once per precision interval", async () => {
      const { secret } = await makeKey();
      const hash = hashSecret(secret);
      const first = clock.now();
      expect((await store.useKey({ secretHash: hash }))?.lastUsedAt).toBe(first);
      clock.advance(LAST_USE_PRECISION_MS - 1);
      await store.useKey({ secretHash: hash });
      expect((await store.listKeys())[0]?.lastUsedAt).toBe(first);
      clock.advance(1);
      await store.useKey({ secretHash: hash });
      expect((await store.listKeys())[0]?.lastUsedAt).toBe(first + LAST_USE_PRECISION_MS);
    });

    it("a revoked key stops working at once, stays listed, and revoking again changes nothing", async () => {
      const { key, secret } = await makeKey();
      const revoked = await store.revokeKey({ actor: "lea", id: key.id });
      expect(revoked).toMatchObject({ id: key.id, revokedBy: "lea", revokedAt: clock.now() });
      expect(await store.useKey({ secretHash: hashSecret(secret) })).toBeNull();
      clock.advance(5000);
      expect(await store.revokeKey({ actor: "lea", id: key.id })).toEqual(revoked);
      expect(await store.listKeys()).toEqual([revoked]);
      const types = (await store.listEvents({ type: "key." })).map((e) => e.type);
      expect(types).toEqual(["key.created", "key.revoked"]);
    });

    it("only a human makes or revokes keys and pairing links; a key is never a human's", async () => {
      await expectCode(makeKey("claude-2", "claude-1"), "forbidden");
      const { key } = await makeKey();
      await expectCode(store.revokeKey({ actor: "claude-1", id: key.id }), "forbidden");
      await expectCode(
        store.createPairing({ actor: "claude-1", human: "lea", tokenHash: hashSecret("x"), ttlMs: MIN }),
        "forbidden",
      );
      await expectCode(makeKey("lea"), "forbidden");
      await expectCode(makeKey("LEA"), "forbidden");
      await expectCode(store.revokeKey({ actor: "lea", id: "K-99" }), "not_found");
      await expectCode(store.revokeKey({ actor: "lea", id: "D-1" }), "not_found");
      expect((await store.listKeys()).map((k) => k.id)).toEqual([key.id]);
    });

    it("a pairing link is redeemed once into a device session for its human", async () => {
      const { pairing, token } = await pair();
      expect(pairing).toMatchObject({
        id: "P-1",
        human: "lea",
        expiresAt: clock.now() + 10 * MIN,
        usedAt: null,
      });
      const session = newSecret(SESSION_PREFIX);
      const device = await redeem(token, session);
      expect(device).toMatchObject({ id: "D-1", human: "lea", name: "Firefox on Linux", pairing: "P-1" });
      expect(await store.useDevice({ secretHash: hashSecret(session) })).toMatchObject({
        id: "D-1",
        human: "lea",
      });
      const reuse = await expectCode(redeem(token), "unauthorized");
      expect(reuse.message).toMatch(/already used/);
      expect((await store.listDevices()).map((d) => d.id)).toEqual(["D-1"]);
    });

    it("an expired link pairs nothing; an unknown one neither", async () => {
      const { token } = await pair(MIN);
      clock.advance(MIN);
      const expired = await expectCode(redeem(token), "unauthorized");
      expect(expired.message).toMatch(/expired/);
      await expectCode(redeem(newSecret(PAIRING_PREFIX)), "unauthorized");
      expect(await store.listDevices()).toEqual([]);
    });

    it("a revoked device's session stops working at once", async () => {
      const { token } = await pair();
      const session = newSecret(SESSION_PREFIX);
      const device = await redeem(token, session);
      await expectCode(store.revokeDevice({ actor: "claude-1", id: device.id }), "forbidden");
      expect(await store.useDevice({ secretHash: hashSecret(session) })).not.toBeNull();
      const revoked = await store.revokeDevice({ actor: "lea", id: device.id });
      expect(revoked).toMatchObject({ revokedBy: "lea", revokedAt: clock.now() });
      expect(await store.useDevice({ secretHash: hashSecret(session) })).toBeNull();
      expect(await store.revokeDevice({ actor: "lea", id: device.id })).toEqual(revoked);
    });

    it("push: a device's own human subscribes and sets it, each item is claimed once, revoking ends it", async () => {
      const { token } = await pair();
      const device = await redeem(token);
      const subscription = {
        device: device.id,
        endpoint: "https://push.example.net/send/1",
        p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
        auth: "BTBZMqHH6r4Tts7J_aSIgg",
      };
      await expectCode(store.savePushSubscription({ actor: "claude-1", ...subscription }), "forbidden");
      await store.savePushSubscription({ actor: "lea", ...subscription });
      await store.savePushSubscription({
        actor: "lea",
        ...subscription,
        endpoint: "https://push.example.net/2",
      });
      expect(await store.getPushSettings({ device: device.id })).toMatchObject({ kinds: expect.any(Array) });
      await store.savePushSettings({
        actor: "lea",
        device: device.id,
        kinds: ["question"],
        quietHours: null,
      });
      expect(await store.listPushTargets()).toMatchObject([
        { device: "D-1", human: "lea", subscription: { endpoint: "https://push.example.net/2" } },
      ]);
      expect((await store.listPushTargets())[0]!.settings.kinds).toEqual(["question"]);
      expect(await store.claimPush({ actor: "baton", device: device.id, item: "Q-1" })).toBe(true);
      expect(await store.claimPush({ actor: "baton", device: device.id, item: "Q-1" })).toBe(false);
      // A push service's "gone" for the old endpoint leaves the newer subscription alone.
      const old = { actor: "baton", device: device.id, endpoint: "https://push.example.net/send/1" };
      expect(await store.removePushSubscription(old)).toBe(false);
      await store.revokeDevice({ actor: "lea", id: device.id });
      expect(await store.listPushTargets()).toEqual([]);
      expect(await store.getPushSubscription({ device: device.id })).toBeNull();
      const logged = (await store.listEvents({})).filter((e) => e.type.startsWith("push."));
      expect(logged.map((e) => e.type)).toEqual(["push.subscribed", "push.subscribed", "push.settings"]);
      expect(JSON.stringify(logged)).not.toContain("/send/1");
    });

    it("the log records creating, pairing and revoking, and never a secret or its hash", async () => {
      const { key, secret } = await makeKey();
      await store.revokeKey({ actor: "lea", id: key.id });
      const { token } = await pair();
      const session = newSecret(SESSION_PREFIX);
      const device = await redeem(token, session);
      await store.revokeDevice({ actor: "lea", id: device.id });
      const events = await store.listEvents({});
      const access = events.filter((e) => /^(key|pairing|device)\./.test(e.type));
      expect(access.map((e) => [e.type, e.actor, e.subject])).toEqual([
        ["key.created", "lea", "K-1"],
        ["key.revoked", "lea", "K-1"],
        ["pairing.created", "lea", "P-1"],
        ["device.paired", "lea", "D-1"],
        ["device.revoked", "lea", "D-1"],
      ]);
      const log = JSON.stringify(events);
      for (const s of [secret, token, session]) {
        expect(log).not.toContain(s);
        expect(log).not.toContain(hashSecret(s));
      }
    });

    it("a dry run makes no key", async () => {
      await store.createKey({
        actor: "lea",
        agent: "claude-1",
        role: null,
        secretHash: hashSecret("s"),
        dryRun: true,
      });
      expect(await store.listKeys()).toEqual([]);
      expect(await store.useKey({ secretHash: hashSecret("s") })).toBeNull();
    });
  });
}
