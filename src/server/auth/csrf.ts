import type { IncomingMessage } from "node:http";
import { BatonError } from "../../errors.js";
import { sameSecret } from "../../services/secrets.js";
import type { Principal } from "../principal.js";

/** Methods that change nothing, and so need no CSRF token. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const CSRF_HEADER = "x-csrf-token";

/**
 * A browser attaches the session cookie to any request to the hub, including
 * one a hostile page makes it send. SameSite=Strict already keeps the cookie off
 * cross-site requests; a write must also echo the session's CSRF token in a
 * header, which another site's page cannot read nor set. Keys (Bearer) are not
 * sent by browsers on their own, so they need none.
 */
export function checkCsrf(request: IncomingMessage, principal: Principal): void {
  if (principal.kind !== "human") return;
  if (SAFE_METHODS.has((request.method ?? "GET").toUpperCase())) return;
  const given = request.headers[CSRF_HEADER];
  if (typeof given !== "string" || !sameSecret(given, principal.csrfToken)) {
    throw new BatonError(
      "forbidden",
      `a ${request.method} with the session cookie must carry the session's ${CSRF_HEADER.toUpperCase()} header`,
      "send the token the pairing gave (the web app does this itself); reload the page if it was paired again",
    );
  }
}
