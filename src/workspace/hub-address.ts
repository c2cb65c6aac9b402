import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BATON_DIR } from "./config-file.js";

/** Where `baton serve` listens by default. */
export const DEFAULT_HUB_URL = "http://127.0.0.1:7345";

/**
 * The hub server's base URL for links people open (`baton pair`): from
 * `.baton/hub.json`, which a running `baton serve` writes ({ host, port, ...
 * }), else the default address. A file that cannot be read or makes no
 * sense gives the default: the link is still printed, and says where it points.
 */
export function hubBaseUrl(root: string): string {
  const path = join(root, BATON_DIR, "hub.json");
  if (!existsSync(path)) return DEFAULT_HUB_URL;
  try {
    const http = JSON.parse(readFileSync(path, "utf8")) as { host?: unknown; port?: unknown } | null;
    const port = Number(http?.port);
    const host = typeof http?.host === "string" ? http.host : "127.0.0.1";
    if (!Number.isInteger(port) || port <= 0 || port > 65535 || !/^[A-Za-z0-9.:[\]-]+$/.test(host))
      return DEFAULT_HUB_URL;
    const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
    return `http://${shown}:${port}`;
  } catch {
    return DEFAULT_HUB_URL;
  }
}
