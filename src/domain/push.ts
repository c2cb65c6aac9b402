import { BatonError } from "../errors.js";

/**
 * Web Push to paired devices: what a device subscribed with, what it wants to
 * hear about, and the rules both are checked by. The hub POSTs to whatever
 * endpoint a device names, so the endpoint is the one field here that guards
 * the hub itself (see `checkPushEndpoint`).
 */

/** What a notification can be about: the four kinds of inbox item. */
export const PUSH_KINDS = ["question", "approval", "escalation", "message"] as const;
export type PushKind = (typeof PUSH_KINDS)[number];

export interface QuietHours {
  /** `HH:MM`, in the device's zone; start > end spans midnight (22:00 → 07:00). */
  start: string;
  end: string;
  /** An IANA zone (`Europe/Paris`), as the device's browser reports it. */
  timeZone: string;
}

export interface PushSettings {
  device: string;
  kinds: PushKind[];
  quietHours: QuietHours | null;
  /** null: never saved (the defaults: every kind, no quiet hours). */
  updatedAt: number | null;
}

export interface PushSubscription {
  device: string;
  /** The push service's URL for this browser: a capability, shown to nobody. */
  endpoint: string;
  /** The browser's P-256 key (base64url, 65 bytes) and auth secret (base64url, 16 bytes). */
  p256dh: string;
  auth: string;
  createdAt: number;
}

/** A live device with a subscription: where a notification goes, and what it wants. */
export interface PushTarget {
  device: string;
  human: string;
  subscription: PushSubscription;
  settings: PushSettings;
}

export function defaultPushSettings(device: string): PushSettings {
  return { device, kinds: [...PUSH_KINDS], quietHours: null, updatedAt: null };
}

/** Long enough for every push service seen (FCM's are ~200 characters), short enough to store without thought. */
const MAX_ENDPOINT = 1024;

/**
 * The endpoint a device asks pushes to go to. The hub will POST there, so a
 * stolen device session must not turn it into a way to reach the hub's own
 * network (SSRF): only https, on the default port, to a host name (real push
 * services are fcm.googleapis.com, updates.push.services.mozilla.com,
 * web.push.apple.com, *.notify.windows.com): no IP literal, no `localhost`,
 * no credentials. `allowLoopbackHttp` (the BATON_PUSH_ALLOW_LOOPBACK
 * environment variable of the hub process, for tests that stand in for a
 * push service) admits http://127.0.0.1 and http://localhost too.
 */
export function checkPushEndpoint(endpoint: string, allowLoopbackHttp: boolean): string {
  const refuse = (why: string) =>
    new BatonError("invalid_input", `this push endpoint is refused: ${why}`, {
      cli: "subscribe from a browser: its push service gives an https endpoint",
      tool: "subscribe from a browser: its push service gives an https endpoint",
    });
  if (typeof endpoint !== "string" || endpoint.length > MAX_ENDPOINT)
    throw refuse(`it must be a URL of at most ${MAX_ENDPOINT} characters`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw refuse("it is not a URL");
  }
  if (url.username || url.password) throw refuse("it carries credentials");
  // `localhost.` is localhost, and every name under .localhost is loopback too (RFC 6761).
  const host = url.hostname.replace(/\.+$/, "");
  const loopback = host === "127.0.0.1" || host === "localhost" || host.endsWith(".localhost");
  if (url.protocol === "http:" && loopback && allowLoopbackHttp) return url.href;
  if (url.protocol !== "https:") throw refuse("only https endpoints are pushed to");
  if (url.port !== "") throw refuse("push services listen on the default https port");
  if (loopback || /^[\d.]+$/.test(url.hostname) || url.hostname.startsWith("["))
    throw refuse("it names an address, not a push service's host name");
  if (!host.includes(".")) throw refuse("it names no public host");
  return url.href;
}

/** A base64url key of exactly `bytes` bytes (65 for p256dh, starting 0x04; 16 for auth). */
export function checkPushKey(name: "p256dh" | "auth", value: string): string {
  const bytes = name === "p256dh" ? 65 : 16;
  const decoded = /^[A-Za-z0-9_-]+={0,2}$/.test(value) ? Buffer.from(value, "base64url") : Buffer.alloc(0);
  if (decoded.length !== bytes || (name === "p256dh" && decoded[0] !== 4))
    throw new BatonError("invalid_input", `the subscription's ${name} key is not a valid key`, {
      cli: "send the keys the browser's PushSubscription gave (getKey, base64url)",
      tool: "send the keys the browser's PushSubscription gave (base64url)",
    });
  return decoded.toString("base64url");
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Quiet hours as given, checked: two `HH:MM` times that differ and a zone this runtime knows. */
export function checkQuietHours(quiet: QuietHours | null): QuietHours | null {
  if (quiet === null) return null;
  const bad = (why: string) =>
    new BatonError(
      "invalid_input",
      `quiet hours: ${why}`,
      "give start and end as HH:MM and an IANA time zone",
    );
  if (!CLOCK.test(quiet.start) || !CLOCK.test(quiet.end)) throw bad("times look like 22:00");
  if (quiet.start === quiet.end) throw bad("start and end are the same time");
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: quiet.timeZone });
  } catch {
    throw bad(`'${String(quiet.timeZone).slice(0, 40)}' is not a time zone`);
  }
  return { start: quiet.start, end: quiet.end, timeZone: quiet.timeZone };
}

/** Whether `now` falls in the quiet hours, read on the device's own clock (its zone, with its DST). */
export function inQuietHours(quiet: QuietHours | null, now: number): boolean {
  if (!quiet) return false;
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: quiet.timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(now));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const minutes = part("hour") * 60 + part("minute");
  const at = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));
  const start = at(quiet.start);
  const end = at(quiet.end);
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}
