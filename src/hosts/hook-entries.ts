import { BatonError } from "../errors.js";
import { parseJsonFile, setJson } from "./host-files.js";

/**
 * The hooks block that Claude Code, Codex and Gemini CLI share:
 * `{EVENT: [{matcher?, hooks: [{type: "command", command}]}]}`.
 */
export interface HookSpec {
  matcher?: string;
  /** baton's own event name: `baton hook EVENT`. */
  event: string;
  /** A handler name, where the host shows one (Gemini CLI). */
  name?: string;
  /** Seconds the host waits for this hook, over the block's own (a permission waits for a human). */
  timeout?: number;
}

/**
 * Entries an earlier `baton connect` wrote, in any of its forms (`baton hook …`,
 * `npx --no-install baton hook …`, `/path/node /path/baton.js hook …`): replaced,
 * so running connect again changes nothing and an old form does not linger.
 */
const OURS = /\bbaton(\.js)?'? hook (pre-edit|session-start|stop|prompt|notification|permission)\b/;

/** Whether a hooks-block entry (or handler) is one baton wrote. */
export function isOurHook(entry: unknown): boolean {
  return OURS.test(JSON.stringify(entry));
}

export function mergeHooks(
  path: string,
  existing: unknown,
  specs: Record<string, HookSpec>,
  command: (event: string) => string,
  /** Seconds the host waits for the hook, where its default is long (Codex: 600). */
  timeout?: number,
): Record<string, unknown> {
  const hooks: Record<string, unknown> =
    typeof existing === "object" && existing !== null && !Array.isArray(existing)
      ? { ...(existing as Record<string, unknown>) }
      : {};
  for (const [hostEvent, spec] of Object.entries(specs)) {
    if (hooks[hostEvent] !== undefined && !Array.isArray(hooks[hostEvent])) {
      throw new BatonError(
        "invalid_input",
        `${path}: "hooks.${hostEvent}" is not a list of hook groups; nothing was changed`,
        "fix that key by hand (or remove it), then run baton connect again",
        { path, key: `hooks.${hostEvent}` },
      );
    }
    const current = (hooks[hostEvent] as unknown[] | undefined) ?? [];
    const others = current.filter((entry) => !isOurHook(entry));
    const entry = {
      ...(spec.matcher ? { matcher: spec.matcher } : {}),
      hooks: [
        {
          ...(spec.name ? { name: spec.name } : {}),
          type: "command",
          command: command(spec.event),
          ...((spec.timeout ?? timeout) ? { timeout: spec.timeout ?? timeout } : {}),
        },
      ],
    };
    hooks[hostEvent] = [...others, entry];
  }
  return hooks;
}

/** Sets a host config file's `hooks` block to the existing one with baton's entries merged in. */
export function setHooks(
  path: string,
  text: string,
  specs: Record<string, HookSpec>,
  command: (event: string) => string,
  timeout?: number,
): string {
  const hooks = parseJsonFile(path, text).hooks;
  return setJson(path, text, ["hooks"], mergeHooks(path, hooks, specs, command, timeout));
}
