import { join } from "node:path";
import { BATON_COMMAND, type ConnectPlan, type FileChange, type HostContext } from "./connect.js";
import { setHooks } from "./hook-entries.js";
import { parseJsonFile, setJson } from "./host-files.js";

/**
 * Claude Code (2.1.x): baton's MCP server in `.mcp.json`, the hooks in
 * `.claude/settings.json`, both in the worktree's root and naming no agent.
 *
 * Claude Code loads `.claude/settings.json` only from the folder it starts in
 * (started from a subfolder, the root's hooks do not run), but it loads the
 * user's `~/.claude/settings.json` everywhere and runs a hook command found in
 * both only once. So the same hooks also go into the user's settings: the guard
 * holds wherever Claude Code starts, and does nothing outside baton repositories.
 */
const HOOKS = {
  // Edit, Write and NotebookEdit in 2.1.330; MultiEdit in earlier versions; Bash for shell edits.
  // AskUserQuestion and ExitPlanMode: the agent turns to the human (recorded as waiting, never denied).
  PreToolUse: {
    matcher: "Edit|Write|MultiEdit|NotebookEdit|Bash|AskUserQuestion|ExitPlanMode",
    event: "pre-edit",
  },
  SessionStart: { event: "session-start" },
  Stop: { event: "stop" },
  // What the agent is doing, for baton status and the supervisor: working from a prompt to its
  // Stop; waiting on a permission prompt or dialog (Notification).
  UserPromptSubmit: { event: "prompt" },
  Notification: { event: "notification" },
  // A permission prompt of an agent baton knows becomes a baton approval (or a config rule's
  // answer); the hook waits for the human up to permissions.approval_timeout (at most a day), so
  // Claude Code must wait as long.
  PermissionRequest: { event: "permission", timeout: 86_400 + 60 },
};

const hookCommand = (event: string) => `${BATON_COMMAND} hook ${event} --host claude`;

function withHooks(path: string, text: string): string {
  return setHooks(path, text, HOOKS, hookCommand);
}

/** Adds `mcp__baton` to `permissions.allow` (honoured once the folder is trusted in Claude Code). */
function withAllowedTools(path: string, text: string): string {
  const settings = parseJsonFile(path, text);
  const permissions = (settings.permissions ?? {}) as Record<string, unknown>;
  const allow = Array.isArray(permissions.allow) ? (permissions.allow as unknown[]) : [];
  if (allow.includes("mcp__baton")) return text;
  return setJson(path, text, ["permissions", "allow"], [...allow, "mcp__baton"]);
}

/**
 * Approves the `.mcp.json` server connect writes beside it (`enabledMcpjsonServers`,
 * honoured, like the allow list, only in a folder the user trusts). Without it
 * Claude Code 2.1.330 opens with "New MCP server found in this project: baton",
 * whose answer on Enter is "Continue without using this MCP server", saved in the
 * main checkout's .claude/settings.local.json: one stray Enter and the agent works
 * without baton's tools, in every worktree, until `claude mcp reset-project-choices`.
 * Only baton's own server is approved; others in the file are the user's to decide.
 */
function withBatonServerApproved(path: string, text: string): string {
  const settings = parseJsonFile(path, text);
  const enabled = Array.isArray(settings.enabledMcpjsonServers)
    ? (settings.enabledMcpjsonServers as unknown[])
    : [];
  if (enabled.includes("baton")) return text;
  return setJson(path, text, ["enabledMcpjsonServers"], [...enabled, "baton"]);
}

export function planClaude(ctx: HostContext): ConnectPlan {
  const server = { command: BATON_COMMAND, args: ["mcp", "--kind", "claude"] };
  const userSettings = join(ctx.home, ".claude", "settings.json");
  const files: FileChange[] = [];
  if (ctx.scope === "project") {
    const mcp = join(ctx.tree.root, ".mcp.json");
    const settings = join(ctx.tree.root, ".claude", "settings.json");
    files.push(
      ctx.change(mcp, (text) => setJson(mcp, text, ["mcpServers", "baton"], server)),
      ctx.change(settings, (text) =>
        withBatonServerApproved(settings, withAllowedTools(settings, withHooks(settings, text))),
      ),
    );
  } else {
    const claudeJson = join(ctx.home, ".claude.json");
    files.push(ctx.change(claudeJson, (text) => setJson(claudeJson, text, ["mcpServers", "baton"], server)));
  }
  files.push(ctx.change(userSettings, (text) => withHooks(userSettings, text)));
  return {
    files,
    notes: [
      {
        level: "todo",
        text: "headless runs (claude -p) need --allowedTools mcp__baton, until you trust this folder once in Claude Code (then .claude/settings.json's allow list applies)",
      },
    ],
  };
}
