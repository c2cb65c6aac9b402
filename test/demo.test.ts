import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

describe("npm run demo (the README's main command)", () => {
  it("three shell agents finish every task, and the crashed agent's task comes back and gets done", () => {
    const result = spawnSync(process.execPath, [resolve(import.meta.dirname, "../scripts/demo.mjs")], {
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("every task is done");
    expect(result.stdout).toMatch(/task\.expired T-\d+ went back to the queue: crash-bot's claim expired/);
    expect(result.stdout).not.toContain("\u001b[");
  });
});
