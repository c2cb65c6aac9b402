import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { checkPushEndpoint, type PushSubscription } from "../../domain/push.js";
import { encryptPushPayload } from "./encrypt.js";
import { guardedLookup, pushAddressAllowed } from "./push-address.js";
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
  /** A test's own push service on 127.0.0.1 may be pushed to (BATON_PUSH_ALLOW_LOOPBACK). */
  allowLoopback?: boolean;
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
    const status = await post(subscription.endpoint, headers, body, options);
    if (status === 404 || status === 410) return { kind: "gone", status };
    if (status >= 200 && status < 300) return { kind: "sent" };
    return { kind: "failed", why: `the push service answered ${status}` };
  } catch (error) {
    return { kind: "failed", why: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * One POST to a push service; its status. The endpoint is checked again (it
 * was stored under whatever rules held then), and so is every address its
 * host resolves to, as the socket connects (push-address.ts): a host name
 * that points into the hub's own network is refused. A redirect is not
 * followed: its status is the answer.
 */
function post(
  endpoint: string,
  headers: Record<string, string>,
  body: Buffer,
  options: PushOptions,
): Promise<number> {
  const allowLoopback = options.allowLoopback ?? false;
  const url = new URL(checkPushEndpoint(endpoint, allowLoopback));
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  // An address written in the URL is connected to without any lookup: checked here instead.
  if (isIP(literal) && !pushAddressAllowed(literal, allowLoopback))
    return Promise.reject(new Error(`${literal} is not a public address: no push goes there`));
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(body.length) },
        lookup: guardedLookup(allowLoopback),
        // The whole exchange, not only a silent socket: a service answering a byte a minute is cut too.
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
