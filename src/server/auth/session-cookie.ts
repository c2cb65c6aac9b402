import type { Device } from "../../domain/access.js";
import { csrfTokenFor, hashSecret, newSecret, SESSION_PREFIX } from "../../services/secrets.js";
import type { Store } from "../../store/port.js";
import { oneLine } from "../../util/control-chars.js";

export const SESSION_COOKIE = "baton_session";

/**
 * The session cookie of a paired device: HttpOnly (no script on the page can
 * read it), SameSite=Strict (no other site's page makes the browser send it),
 * Path=/ (every route of the hub), Secure when served over TLS. No Max-Age: it
 * lives until the human revokes the device (`baton devices revoke`).
 */
export function sessionCookie(secret: string, options: { secure: boolean }): string {
  return `${SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/${options.secure ? "; Secure" : ""}`;
}

/** Tells the browser to forget the session (after a refused or revoked one). */
export function clearedSessionCookie(options: { secure: boolean }): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${options.secure ? "; Secure" : ""}`;
}

/** The session secret from a Cookie header, if the request carries one. */
export function readSessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

const MAX_DEVICE_NAME = 80;

/** A short name for the device from its browser's user agent: "Firefox on Android", else the agent clipped. */
export function deviceNameFrom(userAgent: string | undefined): string {
  const ua = oneLine(userAgent ?? "").trim();
  if (!ua) return "a browser";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrome\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : undefined;
  const system = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad/.test(ua)
      ? "iOS"
      : /Mac OS X/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : /Linux/.test(ua)
            ? "Linux"
            : undefined;
  if (browser && system) return `${browser} on ${system}`;
  return ua.slice(0, MAX_DEVICE_NAME);
}

export interface RedeemedPairing {
  device: Device;
  /** For the response's Set-Cookie header. */
  setCookie: string;
  /** For the page, which must send it as X-CSRF-Token on every write. */
  csrfToken: string;
}

/**
 * Redeems a pairing link's token (once, before it expires) into a new device
 * session: the secret goes into the cookie and nowhere else; the store keeps
 * its hash. Refused with `unauthorized` if the link is unknown, used or expired.
 */
export async function redeemPairing(
  store: Store,
  token: string,
  deviceName: string,
  options: { secure?: boolean } = {},
): Promise<RedeemedPairing> {
  const secret = newSecret(SESSION_PREFIX);
  const name = oneLine(deviceName).trim().slice(0, MAX_DEVICE_NAME) || "a browser";
  const device = await store.redeemPairing({
    tokenHash: hashSecret(token),
    deviceName: name,
    secretHash: hashSecret(secret),
  });
  return {
    device,
    setCookie: sessionCookie(secret, { secure: options.secure === true }),
    csrfToken: csrfTokenFor(secret),
  };
}
