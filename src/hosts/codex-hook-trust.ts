import { createHash } from "node:crypto";
import { isOurHook } from "./hook-entries.js";

/**
 * Codex (0.169) runs a hook from a project's `.codex/hooks.json` only when the
 * user's config.toml trusts that exact hook:
 *
 *   [hooks.state."<abs hooks.json>:pre_tool_use:<group>:<handler>"]
 *   trusted_hash = "sha256:<hex of the hook's normalised identity>"
 *
 * and skips an untrusted one without a word. `baton connect codex` is the user
 * asking for baton's hooks, so it trusts those (and only those) by hash: a hook
 * edited afterwards no longer matches and stops running until trusted again.
 */
const snake = (event: string) => event.replace(/[A-Z]/g, (c, i) => (i ? "_" : "") + c.toLowerCase());

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  return value;
}

interface Handler {
  type?: unknown;
  command?: unknown;
  timeout?: unknown;
  async?: unknown;
  statusMessage?: unknown;
}

/** The hash Codex compares (its hooks/src/engine/discovery.rs): sha256 of the sorted, compact identity. */
export function codexHookHash(event: string, matcher: string | undefined, handler: Handler): string {
  const eventName = snake(event);
  const timeout = Math.max(1, typeof handler.timeout === "number" ? handler.timeout : 600);
  const hook: Record<string, unknown> = {
    type: "command",
    command: handler.command,
    timeout,
    async: handler.async === true,
  };
  if (typeof handler.statusMessage === "string") hook.statusMessage = handler.statusMessage;
  const identity: Record<string, unknown> = { event_name: eventName, hooks: [hook] };
  // UserPromptSubmit and Stop ignore matchers.
  if (matcher !== undefined && eventName !== "user_prompt_submit" && eventName !== "stop")
    identity.matcher = matcher;
  return `sha256:${createHash("sha256")
    .update(JSON.stringify(canonical(identity)))
    .digest("hex")}`;
}

/** The trust entries for baton's own hooks in a parsed hooks.json at `path`. */
export function codexHookTrust(path: string, hooks: unknown): { table: string; hash: string }[] {
  const entries: { table: string; hash: string }[] = [];
  if (typeof hooks !== "object" || hooks === null) return entries;
  for (const [event, groups] of Object.entries(hooks as Record<string, unknown>)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((group: { matcher?: unknown; hooks?: unknown }, g) => {
      if (!Array.isArray(group?.hooks)) return;
      (group.hooks as Handler[]).forEach((handler, h) => {
        if (handler?.type !== "command" || !isOurHook(handler)) return;
        const matcher = typeof group.matcher === "string" ? group.matcher : undefined;
        entries.push({
          table: `hooks.state.${JSON.stringify(`${path}:${snake(event)}:${g}:${h}`)}`,
          hash: codexHookHash(event, matcher, handler),
        });
      });
    });
  }
  return entries;
}
