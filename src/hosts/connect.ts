import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BatonError } from "../errors.js";
import { parseJsonFile, readText, setJson, setMarkdownSection, setTomlTable } from "./host-files.js";
import type { Host } from "./host-names.js";
import { protocolText } from "./instructions.js";

export { writeTextAtomic } from "./host-files.js";

export interface FileChange {
  path: string;
  before: string;
  after: string;
}

export interface ConnectOptions {
  root: string;
  agent: string;
  scope: "project" | "user";
  /** Where user-scope files live; the home folder unless a test says otherwise. */
  home?: string;
}

/**
 * How a host should start baton: through the project's own install when it has
 * one (`npx --no-install`, which never downloads a stranger's package of the same
 * name), else this very CLI by absolute path.
 */
export function batonInvocation(root: string): string[] {
  if (existsSync(join(root, "node_modules", ".bin", "baton"))) return ["npx", "--no-install", "baton"];
  return [process.execPath, fileURLToPath(new URL("../cli/baton.js", import.meta.url))];
}

const shellQuote = (arg: string) =>
  /^[A-Za-z0-9_./@:=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;

function claudeHooks(
  settings: Record<string, unknown>,
  invocation: string[],
  agent: string,
): Record<string, unknown> {
  const hooks = { ...((settings.hooks as Record<string, unknown[]> | undefined) ?? {}) };
  const command = (event: string) => [...invocation, "hook", event, "--as", agent].map(shellQuote).join(" ");
  // Entries an earlier `baton connect` wrote: replaced, so running it twice changes nothing.
  const ours = (entry: unknown) =>
    /baton(\.js)?'? hook (pre-edit|session-start|stop)\b/.test(JSON.stringify(entry));
  const without = (event: string) =>
    ((hooks[event] as unknown[] | undefined) ?? []).filter((entry) => !ours(entry));
  hooks.PreToolUse = [
    ...without("PreToolUse"),
    { matcher: "Edit|Write|MultiEdit", hooks: [{ type: "command", command: command("pre-edit") }] },
  ];
  hooks.SessionStart = [
    ...without("SessionStart"),
    { hooks: [{ type: "command", command: command("session-start") }] },
  ];
  hooks.Stop = [...without("Stop"), { hooks: [{ type: "command", command: command("stop") }] }];
  return hooks;
}

/** The files `baton connect HOST` would write, with their content before and after. Writes nothing. */
export function planConnect(host: Host, options: ConnectOptions): FileChange[] {
  const { root, agent, scope } = options;
  const home = options.home ?? homedir();
  const invocation = batonInvocation(root);
  const [command, ...baseArgs] = invocation as [string, ...string[]];
  const server = (kind: string) => ({ command, args: [...baseArgs, "mcp", "--as", agent, "--kind", kind] });
  const change = (path: string, edit: (text: string) => string): FileChange => {
    const before = readText(path);
    return { path, before, after: edit(before) };
  };
  switch (host) {
    case "claude": {
      const mcpPath = scope === "project" ? join(root, ".mcp.json") : join(home, ".claude.json");
      const settingsPath =
        scope === "project" ? join(root, ".claude", "settings.json") : join(home, ".claude", "settings.json");
      return [
        change(mcpPath, (text) => setJson(mcpPath, text, ["mcpServers", "baton"], server("claude"))),
        change(settingsPath, (text) =>
          setJson(
            settingsPath,
            text,
            ["hooks"],
            claudeHooks(parseJsonFile(settingsPath, text), invocation, agent),
          ),
        ),
      ];
    }
    case "codex": {
      const path =
        scope === "project" ? join(root, ".codex", "config.toml") : join(home, ".codex", "config.toml");
      const { command: cmd, args } = server("codex");
      return [change(path, (text) => setTomlTable(path, text, "mcp_servers.baton", { command: cmd, args }))];
    }
    case "gemini": {
      const path =
        scope === "project" ? join(root, ".gemini", "settings.json") : join(home, ".gemini", "settings.json");
      return [change(path, (text) => setJson(path, text, ["mcpServers", "baton"], server("gemini")))];
    }
    case "pi":
    case "shell":
    case "aider": {
      if (scope === "user") {
        throw new BatonError(
          "usage",
          `${host} reads its instructions from the repository`,
          "drop --scope user for this host",
        );
      }
      const path = join(root, host === "aider" ? "CONVENTIONS.md" : "AGENTS.md");
      return [change(path, (text) => setMarkdownSection(text, protocolText(agent)))];
    }
  }
}
