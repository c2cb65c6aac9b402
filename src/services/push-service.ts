import {
  checkPushEndpoint,
  checkPushKey,
  checkQuietHours,
  type PushKind,
  type PushSettings,
  type PushSubscription,
  type QuietHours,
} from "../domain/push.js";
import { BatonError } from "../errors.js";
import { pushEnvironment } from "../notify/web-push/push-env.js";
import { type PushOutcome, sendPush } from "../notify/web-push/send.js";
import { loadVapidKeys } from "../notify/web-push/vapid.js";
import { requireConfiguredHuman } from "./humans.js";
import type { ServiceContext } from "./service-context.js";

/**
 * A human's notifications on one of their paired devices: the subscription the
 * device's browser made, what it wants to hear about and when not, and a test
 * push. The device is always the caller's own (the HTTP routes pass the
 * session's device); the store checks that too.
 */
export class PushService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The key browsers subscribe with (made on first need); null when `.baton/` cannot hold it. */
  publicKey(): string | null {
    try {
      return loadVapidKeys(this.ctx.root).publicKey;
    } catch {
      return null;
    }
  }

  async subscribe(
    device: string,
    input: { endpoint: string; keys: { p256dh: string; auth: string } },
  ): Promise<PushSubscription> {
    const actor = requireConfiguredHuman(this.ctx, "turn notifications on");
    return this.ctx.store.savePushSubscription({
      actor,
      dryRun: this.ctx.dryRun,
      device,
      endpoint: checkPushEndpoint(input.endpoint, pushEnvironment().allowLoopbackHttp),
      p256dh: checkPushKey("p256dh", input.keys.p256dh),
      auth: checkPushKey("auth", input.keys.auth),
    });
  }

  async unsubscribe(device: string): Promise<boolean> {
    const actor = requireConfiguredHuman(this.ctx, "turn notifications off");
    return this.ctx.store.removePushSubscription({ actor, dryRun: this.ctx.dryRun, device });
  }

  async settings(device: string): Promise<{ settings: PushSettings; subscribed: boolean }> {
    requireConfiguredHuman(this.ctx, "read notification settings");
    const [settings, subscription] = await Promise.all([
      this.ctx.store.getPushSettings({ device }),
      this.ctx.store.getPushSubscription({ device }),
    ]);
    return { settings, subscribed: subscription !== null };
  }

  async saveSettings(
    device: string,
    input: { kinds: PushKind[]; quietHours: QuietHours | null },
  ): Promise<PushSettings> {
    const actor = requireConfiguredHuman(this.ctx, "set notifications");
    return this.ctx.store.savePushSettings({
      actor,
      dryRun: this.ctx.dryRun,
      device,
      kinds: [...new Set(input.kinds)],
      quietHours: checkQuietHours(input.quietHours),
    });
  }

  /** A notification to this device now, whatever its settings: does the whole path work? */
  async test(device: string): Promise<PushOutcome> {
    requireConfiguredHuman(this.ctx, "send a test notification");
    const subscription = await this.ctx.store.getPushSubscription({ device });
    if (!subscription)
      throw new BatonError("invalid_state", `notifications are off on ${device}`, "turn them on first");
    const env = pushEnvironment();
    const outcome = await sendPush(
      subscription,
      { title: "baton", body: "Notifications work on this device.", tag: "baton-test", url: "/settings" },
      {
        vapid: loadVapidKeys(this.ctx.root),
        subject: env.subject,
        now: this.ctx.clock.now(),
        ttlSeconds: 60,
        allowLoopback: env.allowLoopbackHttp,
      },
    );
    if (outcome.kind === "gone")
      await this.ctx.store.removePushSubscription({
        actor: "baton",
        device,
        endpoint: subscription.endpoint,
        reason: `its push service answered ${outcome.status} to a test`,
      });
    return outcome;
  }
}
