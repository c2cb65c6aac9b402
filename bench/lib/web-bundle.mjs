/**
 * What the web app ships for its first screen, weighed as a phone receives it:
 * the entry chunk and every chunk it imports statically (Vite's manifest,
 * dist/web/.vite/manifest.json), each compressed with gzip and with brotli as
 * the hub serves them. The screens loaded on first opening (dynamic imports)
 * are not part of it. Used by the benchmark and by a test that holds the
 * budget (issue 11: under 100 kB compressed).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export function firstScreenBundle(webRoot) {
  const manifest = JSON.parse(readFileSync(join(webRoot, ".vite", "manifest.json"), "utf8"));
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
  if (!entry) throw new Error(`no entry chunk in ${webRoot}/.vite/manifest.json`);
  const files = new Set();
  const visit = (chunk) => {
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const key of chunk.imports ?? []) visit(manifest[key]);
  };
  visit(entry);
  const weigh = (file) => {
    const raw = readFileSync(join(webRoot, file));
    return {
      file,
      raw: raw.length,
      gzip: gzipSync(raw, { level: 9 }).length,
      brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  };
  const all = [...files].map(weigh);
  const js = all.filter((f) => f.file.endsWith(".js"));
  const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);
  const lazy = Object.values(manifest)
    .filter((c) => c.isDynamicEntry)
    .map((c) => weigh(c.file));
  return {
    files: all,
    js: { raw: sum(js, "raw"), gzip: sum(js, "gzip"), brotli: sum(js, "brotli") },
    total: { raw: sum(all, "raw"), gzip: sum(all, "gzip"), brotli: sum(all, "brotli") },
    lazy: { count: lazy.length, gzip: sum(lazy, "gzip") },
  };
}
