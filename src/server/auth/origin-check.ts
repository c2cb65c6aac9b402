import type { IncomingMessage } from "node:http";
import { BatonError, clip } from "../../errors.js";

/**
 * DNS rebinding: a page on evil.example whose name is made to resolve to
 * 127.0.0.1 can send requests to the hub from the user's browser, and the
 * browser treats them as same-origin to evil.example. What gives it away is the
 * Host header (evil.example:7345), so only the names the hub is served under
 * are accepted; an Origin, when the browser sends one, must be one of them too
 * (a cross-site form post to the real name carries the attacker's Origin).
 */
export interface ServedNames {
  /** `host:port` in lower case, as a Host header carries them. */
  hosts: ReadonlySet<string>;
  /** Whether the hub is served over TLS (Origins are then https). */
  tls: boolean;
}

/** The loopback names on `port`, plus any configured ones (`hub.example:443` or a bare name, given the port). */
export function servedNames(port: number, extra: readonly string[] = [], tls = false): ServedNames {
  const names = ["127.0.0.1", "localhost", "[::1]", ...extra];
  const hosts = new Set(names.map((name) => (/:\d+$/.test(name) ? name : `${name}:${port}`).toLowerCase()));
  return { hosts, tls };
}

function refuse(message: string, hint: string): never {
  throw new BatonError("forbidden", message, hint);
}

export function checkOrigin(request: IncomingMessage, served: ServedNames): void {
  const host = request.headers.host?.toLowerCase();
  if (!host || !served.hosts.has(host)) {
    refuse(
      `requests to this hub must name it as ${[...served.hosts].join(", ")}; this one says Host: ${clip(host ?? "(none)", 80)}`,
      "open the hub by the address baton serve printed (a different name could be DNS rebinding); a proxy must pass the Host through, or be named in the hub's configuration",
    );
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const scheme = served.tls ? "https://" : "http://";
  const allowed =
    origin.toLowerCase().startsWith(scheme) && served.hosts.has(origin.slice(scheme.length).toLowerCase());
  if (!allowed) {
    refuse(
      `a request from the page at ${clip(origin, 80)} may not use this hub`,
      `only pages served by the hub itself (${scheme}${host}) may call it from a browser`,
    );
  }
}
