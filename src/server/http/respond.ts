import type { ServerResponse } from "node:http";
import { type BatonError, ERRORS, toBatonError } from "../../errors.js";

/** Headers every JSON answer carries: never cached (it is live state), never sniffed as something else. */
const JSON_HEADERS = {
  "Content-Type": "application/json; charset=utf-8",
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
} as const;

/** How long a client should wait before trying again, for the refusals where waiting helps. */
function retryAfterS(error: BatonError): number | undefined {
  const given = error.details?.retryAfterS;
  if (typeof given === "number" && Number.isFinite(given) && given >= 0) return Math.ceil(given);
  // The database was locked by another process for too long: a second later it usually is not.
  if (error.code === "rate_limited" || error.code === "store_busy") return 1;
  return undefined;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, ...headers, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** The HTTP status of an error code: one table for every face (ERRORS in src/errors.ts). */
export function statusOf(error: BatonError): number {
  return ERRORS[error.code].http;
}

/**
 * Every refusal in one shape, `{error: {code, message, hint, details?}}`, with
 * the status the error table gives its code. `extra`: headers a refusal needs
 * (Allow on a 405, Connection: close after a body left unread).
 */
export function sendError(res: ServerResponse, thrown: unknown, extra: Record<string, string> = {}): void {
  const error = toBatonError(thrown);
  const headers: Record<string, string> = { ...extra };
  const retry = retryAfterS(error);
  const status = statusOf(error);
  if (retry !== undefined && (status === 429 || status === 503)) headers["Retry-After"] = String(retry);
  const body: Record<string, unknown> = { code: error.code, message: error.message, hint: error.hint };
  if (error.details) body.details = error.details;
  sendJson(res, status, { error: body }, headers);
}
