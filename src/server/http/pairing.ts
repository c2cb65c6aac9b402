import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Hub } from "../../services/hub.js";
import { checkOrigin, type ServedNames } from "../auth/origin-check.js";
import type { RateLimiter } from "../auth/rate-limit.js";
import { deviceNameFrom, redeemPairing } from "../auth/session-cookie.js";
import { readJsonBody } from "./request-body.js";
import { sendJson } from "./respond.js";
import { validate } from "./validate.js";

/**
 * Pairing a browser or phone: the only requests served without credentials,
 * since they are how a device gets its own. `GET /pair` is a page that reads
 * the one-time token from the link's fragment (never sent to any server by the
 * browser, so a chat app's link preview cannot spend it) and posts it to
 * `POST /api/v1/pair`, which redeems it once into a device session cookie.
 * Both check Host and Origin like every request, and the redemption has a rate
 * limit of its own per peer address, so tokens cannot be guessed at speed.
 */
export interface PairingOptions {
  served: ServedNames;
  limiter: RateLimiter;
}

const PairBody = z.object({ token: z.string().min(1).max(200) }).strict();

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>baton: pair this device</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:32rem;padding:0 1rem}</style></head>
<body><h1>Pair this device</h1><p id="status" role="status">Pairing…</p>
<script>
(async () => {
  const status = document.getElementById("status");
  const token = location.hash.slice(1);
  history.replaceState(null, "", location.pathname);
  if (!token) { status.textContent = "This link has no pairing token: ask for a new one (baton pair --human NAME)."; return; }
  const res = await fetch("/api/v1/pair", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
  const body = await res.json();
  if (!res.ok) { status.textContent = body.error.message + " — " + body.error.hint; return; }
  sessionStorage.setItem("baton-csrf", body.csrfToken);
  status.textContent = "Paired as " + body.device.human + " (" + body.device.name + "). You can close this page.";
})();
</script></body></html>
`;

/** Serves the pairing page and redemption; false when the request is not one of them. */
export async function servePairing(
  hub: Hub,
  options: PairingOptions,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  bodyBytes: number,
): Promise<boolean> {
  if (path === "/pair" && (req.method === "GET" || req.method === "HEAD")) {
    checkOrigin(req, options.served);
    res.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Content-Security-Policy":
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
    });
    res.end(req.method === "HEAD" ? undefined : PAGE);
    return true;
  }
  if (path !== "/api/v1/pair" || req.method !== "POST") return false;
  checkOrigin(req, options.served);
  options.limiter.take(`pairing from ${req.socket.remoteAddress ?? "?"}`);
  const { token } = validate(PairBody, await readJsonBody(req, bodyBytes), "body");
  const redeemed = await redeemPairing(hub.store, token, deviceNameFrom(req.headers["user-agent"]), {
    secure: options.served.tls,
  });
  sendJson(
    res,
    200,
    { device: redeemed.device, csrfToken: redeemed.csrfToken },
    { "Set-Cookie": redeemed.setCookie },
  );
  return true;
}
