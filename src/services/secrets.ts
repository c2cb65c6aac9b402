import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The secrets of the hub server's access: agent keys, pairing tokens and device
 * sessions. Each is 32 random bytes (256 bits) in base64url after a readable
 * prefix that says what it is (a key pasted into the wrong place is recognised,
 * and secret scanners can match it). The store keeps only the SHA-256 hash:
 * a secret is shown once and cannot be read back.
 */
export const KEY_PREFIX = "bk_";
export const PAIRING_PREFIX = "bp_";
export const SESSION_PREFIX = "bs_";

export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/**
 * What the store keeps. Plain SHA-256, no salt or stretching: the secrets are
 * random and 256 bits long, so there is no dictionary to guess from, and a
 * lookup by hash must be one index probe per request.
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/**
 * The CSRF token of a device session, derived from its secret: nothing more to
 * store, and knowing the token (JavaScript on the page reads it) does not give
 * the session, which lives in an HttpOnly cookie.
 */
export function csrfTokenFor(sessionSecret: string): string {
  return createHash("sha256").update(`baton-csrf\0${sessionSecret}`, "utf8").digest("base64url");
}

/** Compares two strings in time that does not depend on where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  // Comparing digests keeps lengths equal, so the length of `expected` does not leak either.
  return timingSafeEqual(a, b) && given === expected;
}
