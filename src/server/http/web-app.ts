import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/**
 * The human's web app (built by Vite from web/ into dist/web): static files the
 * hub serves without credentials, since they hold no data: every request the
 * app makes for data is authenticated like any other. Files are read once and
 * kept compressed in memory (the whole app is a few hundred kB).
 */

/** The app's own screens: a GET for one of them (`/board/T-3`) is answered with the app's page. */
export const APP_SCREENS = new Set([
  "",
  "pair",
  "inbox",
  "board",
  "agents",
  "channels",
  "activity",
  "summary",
  "settings",
]);

/** Only the app's own scripts, styles, pictures and the hub itself: no inline script, no other origin. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

const COMPRESSIBLE = new Set([".html", ".js", ".css", ".svg", ".webmanifest", ".json", ".txt"]);

interface CachedFile {
  type: string;
  raw: Buffer;
  gzip?: Buffer;
  brotli?: Buffer;
  /** Hashed names (assets/) never change: a year in the cache; the page and the worker always ask again. */
  immutable: boolean;
}

/** Where the built app is: dist/web, beside the module (bundled CLI, library) or above it (tests run from src). */
export function findWebRoot(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, "web"), join(dir, "dist", "web")]) {
      if (existsSync(join(candidate, "manifest.webmanifest")) && existsSync(join(candidate, "index.html")))
        return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export class WebApp {
  private readonly cache = new Map<string, CachedFile | null>();

  constructor(private readonly root: string | undefined = findWebRoot()) {}

  /** Answers a GET or HEAD for the app; false when the path is not the app's. */
  serve(req: IncomingMessage, res: ServerResponse, segments: readonly string[]): boolean {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const first = segments[0] ?? "";
    const page = segments.length === 0 || (APP_SCREENS.has(first) && segments.length <= 3);
    const relative = page ? "index.html" : segments.join("/");
    const file = this.file(relative);
    if (!file) {
      if (!page) return false;
      res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
      res.end("baton's web app is not built: run npm run build in baton's folder, then reload.\n");
      return true;
    }
    const accepts = String(req.headers["accept-encoding"] ?? "");
    const [body, encoding] =
      file.brotli && /\bbr\b/.test(accepts)
        ? [file.brotli, "br"]
        : file.gzip && /\bgzip\b/.test(accepts)
          ? [file.gzip, "gzip"]
          : [file.raw, undefined];
    const headers: Record<string, string | number> = {
      "Content-Type": file.type,
      "Content-Length": body.length,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
      Vary: "Accept-Encoding",
    };
    if (encoding) headers["Content-Encoding"] = encoding;
    if (relative === "index.html") {
      headers["Content-Security-Policy"] = CSP;
      headers["X-Frame-Options"] = "DENY";
    }
    if (relative === "sw.js") headers["Service-Worker-Allowed"] = "/";
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  }

  private file(relative: string): CachedFile | undefined {
    if (!this.root) return undefined;
    const cached = this.cache.get(relative);
    if (cached !== undefined) return cached ?? undefined;
    const path = normalize(join(this.root, relative));
    // Never outside the app's folder, whatever the path says (`..` is already gone from segments; this is the net).
    if (!path.startsWith(this.root + sep) || relative.split("/").some((s) => s.startsWith(".")))
      return undefined;
    let raw: Buffer;
    try {
      raw = readFileSync(path);
    } catch {
      this.cache.set(relative, null);
      return undefined;
    }
    const ext = /\.[a-z]+$/.exec(relative)?.[0] ?? "";
    const type = TYPES[ext] ?? "application/octet-stream";
    const file: CachedFile = { type, raw, immutable: relative.startsWith("assets/") };
    if (COMPRESSIBLE.has(ext) && raw.length > 512) {
      file.gzip = gzipSync(raw, { level: 9 });
      file.brotli = brotliCompressSync(raw, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
      });
    }
    this.cache.set(relative, file);
    return file;
  }
}
