import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { BatonError, toBatonError } from "../../errors.js";
import { denyReason, heldFiles } from "../../hosts/guard/pre-edit.js";
import {
  contextAnswer,
  denyAnswer,
  detectHost,
  HOOK_HOSTS,
  type HookHost,
  hasMcpTools,
} from "../../hosts/hook-answers.js";
import { sessionContext, sessionStopped } from "../../hosts/session-hooks.js";
import type { Workspace } from "../../services/workspace.js";
import { BATON_DIR } from "../../workspace/config-file.js";
import { findTree } from "../../workspace/find-root.js";
import { action } from "../context.js";

type HookInput = Record<string, unknown>;
type Handler = (ws: Workspace, input: HookInput, host: HookHost) => Promise<object | null>;

const HANDLERS: Record<string, Handler> = {
  "pre-edit": async (ws, input, host) => {
    const held = await heldFiles(ws, input);
    if (held.length === 0) return null;
    return denyAnswer(host, denyReason(held, Date.now(), hasMcpTools(host) ? "mcp" : "cli"));
  },
  "session-start": async (ws, _input, host) => contextAnswer(host, await sessionContext(ws)),
  stop: async (ws) => {
    await sessionStopped(ws);
    return null;
  },
};

/** The hook's JSON on stdin, whatever arrives: anything but an object counts as an empty one. */
function readInput(): HookInput {
  try {
    const parsed: unknown = JSON.parse(readFileSync(0, "utf8") || "{}");
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as HookInput;
  } catch {
    // not JSON: no input
  }
  return {};
}

/**
 * Says once per host session (and problem) that the guard could not run, so a
 * broken baton is neither silent nor repeated on every edit. The mark is an
 * empty file in the temp folder, created exclusively: two hooks racing say it once.
 */
function sayOnce(input: HookInput, event: string, error: BatonError): void {
  const session = typeof input.session_id === "string" ? input.session_id : `ppid-${process.ppid}`;
  const key = createHash("sha256").update(`${session}\n${process.cwd()}\n${error.code}`).digest("hex");
  try {
    closeSync(openSync(join(tmpdir(), `baton-hook-${key.slice(0, 24)}`), "wx"));
  } catch {
    return; // said already
  }
  const what = event === "pre-edit" ? "the edit guard is off" : `baton hook ${event} did nothing`;
  process.stderr.write(`baton: ${what}: ${error.message}\nWhat to do: ${error.hint}\n`);
  process.exitCode = 1;
}

/** Whether this tree shows that its team uses baton (committed `.baton/` files) though its hub is not set up. */
function usesBaton(): boolean {
  try {
    return existsSync(join(findTree(process.cwd()).root, BATON_DIR));
  } catch {
    return false;
  }
}

export function registerHookCommand(program: Command): void {
  program
    .command("hook")
    .description(
      "handle an agent host's hook (reads the hook's JSON on stdin): pre-edit, session-start, stop",
    )
    .argument("<event>", "pre-edit | session-start | stop")
    .option("--host <host>", `the host that calls: ${HOOK_HOSTS.join(", ")} (default: told by the input)`)
    .addHelpText(
      "after",
      `
Written into hosts' configs by \`baton connect\`; you do not run it yourself.
  pre-edit       before a tool writes files (Claude Code Edit, Write,
                 NotebookEdit, Bash; Codex apply_patch and shell; Gemini CLI
                 write_file, replace, run_shell_command; pi write, edit, bash):
                 denies the call, in the host's own form, when another agent
                 holds an exclusive lease on a file it would write
  session-start  puts the agent's task and unread messages into the context
  stop           records the agent idle

A hook never breaks its host: a file outside the repository, or a repository
without baton, is allowed silently; when baton itself cannot run, it says so
once per session on stderr (exit 1).`,
    )
    .action(
      action(async (ctx, event: string, o: { host?: string }) => {
        const handler = HANDLERS[event];
        if (!handler)
          throw new BatonError("usage", `unknown hook '${event}'`, "use pre-edit, session-start or stop");
        if (o.host !== undefined && !HOOK_HOSTS.includes(o.host as HookHost))
          throw new BatonError("usage", `unknown host '${o.host}'`, `use ${HOOK_HOSTS.join(", ")}`);
        const input = readInput();
        const host = (o.host as HookHost | undefined) ?? detectHost(input);
        try {
          const output = await handler(await ctx.workspace(), input, host);
          if (output) process.stdout.write(`${JSON.stringify(output)}\n`);
        } catch (error) {
          const e = toBatonError(error);
          // Not a baton repository: nothing to guard, nothing to say.
          if (e.code === "not_a_repository" || (e.code === "not_initialised" && !usesBaton())) return;
          sayOnce(input, event, e);
        }
      }),
    );
}
