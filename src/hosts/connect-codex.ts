import { existsSync } from "node:fs";
import { join } from "node:path";
import { codexHookTrust } from "./codex-hook-trust.js";
import { BATON_COMMAND, type ConnectPlan, type HostContext } from "./connect.js";
import { setHooks } from "./hook-entries.js";
import { parseJsonFile, parseTomlFile, readText, setTomlTable } from "./host-files.js";

/**
 * Codex CLI (0.169): baton's MCP server in `.codex/config.toml`, with every
 * tool call approved (else `codex exec` refuses each one: "requires approval,
 * but approval policy is never") and `required` (else the tools are sometimes
 * missing from a whole run: the session starts before the server answers), and
 * hooks in `.codex/hooks.json`. Codex edits arrive as `apply_patch` (the patch
 * in `tool_input.command`) or `Bash`; the guard reads the files out of both.
 *
 * Codex reads a project's `.codex/` only once the project is trusted, and runs a
 * hook only once the user's config trusts its hash. In a linked worktree Codex
 * reads `.codex/config.toml` from the worktree but hooks only from the main
 * checkout's `.codex/` (hooks.json or config.toml, keyed by that path), so the
 * hooks go there: they name no agent, and each hook acts as the agent of the
 * worktree it runs in. connect trusts baton's own hooks; trusting the project
 * is the user's decision, so it checks and says so.
 */
const HOOKS = {
  PreToolUse: { matcher: "apply_patch|Bash|Edit|Write|exec_command|shell", event: "pre-edit" },
  SessionStart: { event: "session-start" },
  // A prompt starts a turn (working) and Stop ends it (idle): what the supervisor delivers work by.
  UserPromptSubmit: { event: "prompt" },
  Stop: { event: "stop" },
  // An approval prompt (a command outside the sandbox, network access) becomes a baton approval
  // or a config rule's answer; it waits for a human up to permissions.approval_timeout.
  PermissionRequest: { event: "permission", timeout: 86_400 + 60 },
};
const HOOK_TIMEOUT_SECONDS = 30;

const hookCommand = (event: string) => `${BATON_COMMAND} hook ${event} --host codex`;

/** Whether the user's Codex config trusts this tree: its own entry, or its repository's main root. */
function isTrusted(configPath: string, roots: string[]): boolean {
  if (!existsSync(configPath)) return false;
  try {
    const config = parseTomlFile(configPath, readText(configPath));
    const projects = (config.projects ?? {}) as Record<string, { trust_level?: unknown }>;
    const levels = roots.map((root) => projects[root]?.trust_level);
    return !levels.includes("untrusted") && levels.includes("trusted");
  } catch {
    return false;
  }
}

export function planCodex(ctx: HostContext): ConnectPlan {
  const dir = ctx.scope === "project" ? join(ctx.tree.root, ".codex") : ctx.codexHome;
  const config = join(dir, "config.toml");
  const hooksPath = join(ctx.scope === "project" ? join(ctx.hubRoot, ".codex") : dir, "hooks.json");
  const userConfig = join(ctx.codexHome, "config.toml");
  const server = {
    command: BATON_COMMAND,
    args: ["mcp", "--kind", "codex"],
    default_tools_approval_mode: "approve",
    required: true,
  };
  const hooks = ctx.change(hooksPath, (text) =>
    setHooks(hooksPath, text, HOOKS, hookCommand, HOOK_TIMEOUT_SECONDS),
  );
  const trust = codexHookTrust(hooks.path, parseJsonFile(hooks.path, hooks.after).hooks);
  const files = [
    ctx.change(config, (text) => setTomlTable(config, text, "mcp_servers.baton", server)),
    hooks,
    ctx.change(userConfig, (text) =>
      trust.reduce(
        (acc, entry) => setTomlTable(userConfig, acc, entry.table, { trusted_hash: entry.hash }),
        text,
      ),
    ),
  ];
  const notes: ConnectPlan["notes"] = [];
  if (ctx.scope === "project" && !isTrusted(userConfig, [ctx.tree.root, ctx.hubRoot])) {
    notes.push({
      level: "todo",
      text: `trust this project in Codex, or it ignores .codex/ here (baton's tools and guard included): run \`codex exec --trust\` once in ${ctx.tree.root}, or add [projects."${ctx.hubRoot}"] trust_level = "trusted" to ${userConfig}`,
    });
  }
  return { files, notes };
}
