/**
 * What each host reads back from a hook. Claude Code and Codex share one shape
 * (`hookSpecificOutput` with a permission decision), which baton's pi extension
 * reads too; Gemini CLI ignores it and wants `{decision, reason}`.
 */
export const HOOK_HOSTS = ["claude", "codex", "gemini", "pi"] as const;

/** Hosts whose model has baton's MCP tools; the others use the CLI. */
export function hasMcpTools(host: HookHost): boolean {
  return host !== "pi";
}
export type HookHost = (typeof HOOK_HOSTS)[number];

/** Refuses the tool call; the reason reaches the model as the tool's result. */
export function denyAnswer(host: HookHost, reason: string): object {
  if (host === "gemini") return { decision: "deny", reason };
  return {
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: reason,
    },
  };
}

/** Adds text to the model's context at the start of a session. */
export function contextAnswer(_host: HookHost, text: string): object {
  return { hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: text } };
}

/** Which host sent a hook input, when the command line does not say. */
export function detectHost(input: Record<string, unknown>): HookHost {
  const event = input.hook_event_name;
  if (event === "BeforeTool" || event === "AfterTool" || event === "BeforeAgent") return "gemini";
  return "claude";
}
