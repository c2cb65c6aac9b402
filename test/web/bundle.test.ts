import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { firstScreenBundle } from "../../bench/lib/web-bundle.mjs";

const WEB = resolve(import.meta.dirname, "../../dist/web");

describe("the web app's first screen", () => {
  it("ships under 100 kB of JavaScript compressed, the other screens loaded only when opened", () => {
    const bundle = firstScreenBundle(WEB);
    expect(bundle.js.gzip).toBeLessThan(100 * 1024);
    // Each other screen is a chunk of its own, not part of the first load.
    expect(bundle.lazy.count).toBeGreaterThanOrEqual(6);
    expect(bundle.files.map((f: { file: string }) => f.file).join(" ")).not.toMatch(/board|agents|settings/);
  });
});
