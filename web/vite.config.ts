import { defineConfig } from "vite";

/**
 * The human's web app, built into dist/web, which the hub serves (src/server/http/web-app.ts).
 * Preact for a small bundle; no module-preload polyfill, so the page runs no inline script and
 * the hub's Content-Security-Policy can forbid them.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  publicDir: "public",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    assetsInlineLimit: 0,
    // .vite/manifest.json: which chunks the first screen loads (bench/lib/web-bundle.mjs weighs them).
    manifest: true,
  },
  logLevel: "warn",
});
