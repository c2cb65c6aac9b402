import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Errors raised below the faces (store, domain, services, workspace) reach MCP
 * clients too, and a model cannot run `baton task list`. So a hint there that
 * names a CLI command or flag must come as `{cli, tool}`: this scan finds any
 * that does not. The listed exceptions are only ever shown at the command line.
 */
const SHARED = ["store", "domain", "services", "workspace"];
const CLI_ONLY = new Set([
  "workspace/store-url.ts", // before any face is up: `baton mcp` cannot start without a hub
  "workspace/jsonc.ts",
  "store/sqlite/connection.ts",
  "services/summary-service.ts", // summaries have no tool
  "store/sqlite/ops/summary.ts",
  "domain/config.ts", // read when a face starts
  "workspace/find-root.ts",
]);
const COMMAND =
  /`baton [a-z]|\bbaton (init|task|lock|locks|unlock|agents?|whoami|heartbeat|log|guardian|send|broadcast|inbox|channel|post|read|thread|ask|questions?|answer|approvals?|approve|reject|queue|escalations|summary|mirror|mcp|connect|hook|prompt)\b|\s--[a-z]{2,}/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

describe("hints shown to models", () => {
  it("name tools, not CLI commands, wherever an error can reach an MCP client", () => {
    const root = import.meta.dirname;
    const offenders: string[] = [];
    for (const file of SHARED.flatMap((dir) => files(join(root, dir)))) {
      const rel = relative(root, file);
      if (CLI_ONLY.has(rel)) continue;
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          const trimmed = line.trim();
          if (/^(\*|\/\/|\/\*\*|cli:)/.test(trimmed)) return;
          // In a `{ cli: "...", tool: "..." }` on one line, only the tool's words count.
          const code = trimmed.includes("tool:") ? trimmed.slice(trimmed.indexOf("tool:")) : trimmed;
          // Setting up a hub and deciding as a human happen at the command line, before or beside any model.
          if (/["'`]/.test(code) && COMMAND.test(code) && !/baton init|baton is not|--kind human/.test(code))
            offenders.push(`${rel}:${i + 1}: ${code}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
