import type { PushSubscription } from "../../domain/push.js";
import { encryptPushPayload } from "./encrypt.js";
import { type VapidKeys, vapidAuthorization } from "./vapid.js";

/** What a notification says: the service worker shows it and opens `url` on tap. */
export interface PushPayload {
  title: string;
  body: string;
  /** The item's id: one notification per item on the device, a later one replacing it. */
  tag: string;
  url: string;
}

export interface PushOptions {
  vapid: VapidKeys;
  /** Who the push service may contact about our pushes (RFC 8292 `sub`): mailto: or the hub's https URL. */
  subject: string;
  now: number;
  /** How long the push service keeps it for an offline browser, in seconds. */
  ttlSeconds?: number;
  urgency?: "very-low" | "low" | "normal" | "high";
  /** A push waits this long at most: a slow push service must not hold the next item back. */
  timeoutMs?: number;
}

/**
 * What the push service said: `sent`; `gone` (404/410: the browser dropped the
 * subscription; remove it); `failed` (anything else, with why).
 */
export type PushOutcome =
  | { kind: "sent" }
  | { kind: "gone"; status: number }
  | { kind: "failed"; why: string };

/** Longest a tag may be and still be a Topic header (RFC 8030 §5.4: 32 characters of base64url). */
const TOPIC = /^[A-Za-z0-9_-]{1,32}$/;

/** POSTs one encrypted notification to the subscription's push service (RFC 8030, 8291, 8292). */
export async function sendPush(
  subscription: PushSubscription,
  payload: PushPayload,
  options: PushOptions,
): Promise<PushOutcome> {
  const body = encryptPushPayload(Buffer.from(JSON.stringify(payload)), {
    p256dh: Buffer.from(subscription.p256dh, "base64url"),
    auth: Buffer.from(subscription.auth, "base64url"),
  });
  const headers: Record<string, string> = {
    authorization: vapidAuthorization(options.vapid, subscription.endpoint, options.subject, options.now),
    "content-encoding": "aes128gcm",
    "content-type": "application/octet-stream",
    ttl: String(options.ttlSeconds ?? 24 * 3600),
    urgency: options.urgency ?? "normal",
  };
  // A later push with the same topic replaces one still waiting in the push service.
  if (TOPIC.test(payload.tag)) headers.topic = payload.tag;
  try {
    const response = await fetch(subscription.endpoint, {
      method: "POST",
      headers,
      body,
      // The endpoint was checked when stored; a redirect could lead anywhere else.
      redirect: "error",
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    await response.body?.cancel();
    if (response.status === 404 || response.status === 410) return { kind: "gone", status: response.status };
    if (response.ok) return { kind: "sent" };
    return { kind: "failed", why: `the push service answered ${response.status}` };
  } catch (error) {
    return { kind: "failed", why: error instanceof Error ? error.message : String(error) };
  }
}
