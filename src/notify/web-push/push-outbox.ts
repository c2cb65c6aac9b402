import { hostname } from "node:os";
import { inQuietHours, type PushTarget } from "../../domain/push.js";
import type { BatonEvent } from "../../domain/types.js";
import { runnerIsGone } from "../../hooks/hook-outbox.js";
import type { Hub } from "../../services/hub.js";
import { pushEnvironment } from "./push-env.js";
import { PUSH_EVENT_TYPES, type PushItem, pushItemOf } from "./push-items.js";
import { sendPush } from "./send.js";
import { loadVapidKeys, type VapidKeys } from "./vapid.js";

/** The outbox consumer whose cursor says how far the log has been looked at for notifications. */
export const PUSH_CONSUMER = "web-push";

const TAKE = 50;
const RUNNER = `${hostname()}:${process.pid}`;

/**
 * Web Push from the event log, run by the hub server only (it holds the VAPID
 * key). Its own outbox cursor means an event committed while no hub ran
 * (a CLI writing the file directly) is still looked at when one starts; each
 * (device, item) pair is recorded before its push is sent (store `claimPush`),
 * so a device hears of an item once, across restarts and retries. Pushes go
 * out concurrently with bounded timeouts, outside any request: a slow push
 * service delays only notifications.
 */
export class PushOutbox {
  private running: Promise<void> | undefined;
  private again = false;
  private start: Promise<number> | undefined;
  private vapid: VapidKeys | undefined;
  private readonly env = pushEnvironment();

  constructor(
    private readonly hub: Hub,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Pushes for everything new; a call while a drain runs makes it look once more. */
  drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while (await this.step()) {
            // until nothing is left
          }
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async step(): Promise<boolean> {
    const { store } = this.hub;
    // Seen for the first time, the consumer starts at the log's head then: no pushes for the past.
    this.start ??= store.listEvents({ limit: 1 }).then((events) => events[0]?.seq ?? 0);
    const consumers = [{ name: PUSH_CONSUMER, types: PUSH_EVENT_TYPES, startAfter: await this.start }];
    const retry = (await store.listUnfinishedOutbox({ consumers: [PUSH_CONSUMER] })).filter(
      (d) => d.runner !== RUNNER && runnerIsGone(d.runner),
    );
    if (retry.length === 0 && !(await store.outboxPending({ consumers }))) return false;
    const { deliveries } = await store.takeOutbox({
      actor: "baton",
      consumers,
      runner: RUNNER,
      limit: TAKE,
      retry,
    });
    for (const { event } of deliveries) {
      await this.announce(event).catch(this.onError);
      await store.finishOutbox({ actor: "baton", seq: event.seq, consumer: PUSH_CONSUMER });
    }
    return deliveries.length > 0;
  }

  private async announce(event: BatonEvent): Promise<void> {
    const { store } = this.hub;
    const targets = await store.listPushTargets();
    if (targets.length === 0) return;
    const item = await pushItemOf(store, event, this.hub.config.humans);
    if (!item) return;
    const now = this.hub.clock.now();
    const wanted = targets.filter(
      (t) =>
        item.audience.includes(t.human) &&
        t.human !== item.actor &&
        t.settings.kinds.includes(item.kind) &&
        !inQuietHours(t.settings.quietHours, now),
    );
    await Promise.all(wanted.map((target) => this.pushTo(target, item, now)));
  }

  private async pushTo(target: PushTarget, item: PushItem, now: number): Promise<void> {
    const { store } = this.hub;
    if (!(await store.claimPush({ actor: "baton", device: target.device, item: item.id }))) return;
    this.vapid ??= loadVapidKeys(this.hub.root);
    const outcome = await sendPush(target.subscription, item.payload, {
      vapid: this.vapid,
      subject: this.env.subject,
      now,
      urgency: item.urgent ? "high" : "normal",
      allowLoopback: this.env.allowLoopbackHttp,
    });
    if (outcome.kind === "gone") {
      await store.removePushSubscription({
        actor: "baton",
        device: target.device,
        endpoint: target.subscription.endpoint,
        reason: `its push service answered ${outcome.status} (the browser dropped it)`,
      });
    } else if (outcome.kind === "failed") {
      this.onError(new Error(`push of ${item.id} to ${target.device} failed: ${outcome.why}`));
    }
  }
}
