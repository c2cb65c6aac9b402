import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { BATON_COMMAND, type ConnectPlan, type HostContext } from "./connect.js";
import { setHooks } from "./hook-entries.js";
import { parseJsonFile, readText, setJson } from "./host-files.js";

/**
 * Gemini CLI (0.61): baton's MCP server in `.gemini/settings.json` with
 * `trust: true` (in headless mode an untrusted server's tools are not offered
 * at all), and a BeforeTool hook that answers in Gemini's own form (it ignores
 * Claude's). Gemini loads `.gemini/settings.json` only from the folder it starts
 * in and only when that folder is trusted; user settings load everywhere, so
 * the guard goes there too and holds wherever Gemini starts.
 */
const HOOKS = {
  BeforeTool: {
    matcher: "write_file|replace|run_shell_command",
    event: "pre-edit",
    name: "baton-edit-guard",
  },
  SessionStart: { event: "session-start", name: "baton-session-start" },
  // What the agent is doing, for baton status and the supervisor: a turn runs from BeforeAgent to
  // AfterAgent; a Notification (a tool waiting for permission) means it waits for the human.
  BeforeAgent: { event: "prompt", name: "baton-turn-start" },
  AfterAgent: { event: "stop", name: "baton-turn-end" },
  Notification: { event: "notification", name: "baton-notification" },
};
// Gemini's hook timeout is in milliseconds.
const HOOK_TIMEOUT_MS = 30_000;

const hookCommand = (event: string) => `${BATON_COMMAND} hook ${event} --host gemini`;

/** Whether ~/.gemini/trustedFolders.json trusts `folder`: TRUST_FOLDER covers a folder and what is below it, TRUST_PARENT its parent's. */
export function isTrustedFolder(home: string, folder: string): boolean {
  const path = join(home, ".gemini", "trustedFolders.json");
  if (!existsSync(path)) return false;
  try {
    const rules = Object.entries(parseJsonFile(path, readText(path))).map(([where, level]) => ({
      base: level === "TRUST_PARENT" ? dirname(where) : where,
      level,
    }));
    const covering = rules
      .filter(({ base }) => folder === base || folder.startsWith(`${base}/`))
      .sort((a, b) => b.base.length - a.base.length);
    return covering[0] !== undefined && covering[0].level !== "DO_NOT_TRUST";
  } catch {
    return false;
  }
}

function withBaton(path: string, text: string, server: object | undefined): string {
  const withServer = server ? setJson(path, text, ["mcpServers", "baton"], server) : text;
  return setHooks(path, withServer, HOOKS, hookCommand, HOOK_TIMEOUT_MS);
}

export function planGemini(ctx: HostContext): ConnectPlan {
  const server = { command: BATON_COMMAND, args: ["mcp", "--kind", "gemini"], trust: true };
  const user = join(ctx.home, ".gemini", "settings.json");
  const files = [];
  const notes: ConnectPlan["notes"] = [];
  if (ctx.scope === "project") {
    const project = join(ctx.tree.root, ".gemini", "settings.json");
    files.push(
      ctx.change(project, (text) => withBaton(project, text, server)),
      ctx.change(user, (text) => withBaton(user, text, undefined)),
    );
    if (!isTrustedFolder(ctx.home, ctx.tree.root))
      notes.push({
        level: "todo",
        text: `trust this worktree in Gemini CLI, or it ignores .gemini/settings.json here (headless runs exit 55): run gemini in ${ctx.tree.root} once and trust the folder, or add "${ctx.tree.root}": "TRUST_FOLDER" to ~/.gemini/trustedFolders.json`,
      });
    notes.push({
      level: "todo",
      text: `start gemini in ${ctx.tree.root}: from a subfolder it loads neither baton's tools nor the project's hooks (the guard in your user settings still holds)`,
    });
  } else {
    files.push(ctx.change(user, (text) => withBaton(user, text, server)));
  }
  return { files, notes };
}
