import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

describe("npm run demo (the README's main command)", () => {
  it("baton up with three simulated agents: a question answered, a crash recovered, every task done and merged", () => {
    const result = spawnSync(process.execPath, [resolve(import.meta.dirname, "../scripts/demo.mjs")], {
      encoding: "utf8",
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/Q-1\s+question\s+sim-2 .*design system/);
    expect(result.stdout).toMatch(/sim-2\s+waiting\s+-\s+sim:asked/);
    expect(result.stdout).toMatch(/team\.restarted sim-3 exited \(status 1\); restarted/);
    expect(result.stdout).toMatch(/merged \d+ commits?/);
    expect(result.stdout).toContain("every task is done and merged into main");
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("without tmux, the shell-agent demo: the crashed agent's task comes back and gets done", () => {
    const result = spawnSync(process.execPath, [resolve(import.meta.dirname, "../scripts/demo-shell.mjs")], {
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("every task is done");
    expect(result.stdout).toMatch(/task\.expired T-\d+ went back to the queue: crash-bot's claim expired/);
  });
});
