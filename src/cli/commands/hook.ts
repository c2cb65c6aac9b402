import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { BatonError, isBatonError, toBatonError } from "../../errors.js";
import { editTargets } from "../../hosts/guard/edit-targets.js";
import { denyReason, heldFiles } from "../../hosts/guard/pre-edit.js";
import type { ShellWrite } from "../../hosts/guard/shell-writes.js";
import {
  contextAnswer,
  denyAnswer,
  detectHost,
  HOOK_HOSTS,
  type HookHost,
  hasMcpTools,
} from "../../hosts/hook-answers.js";
import { answerPermission } from "../../hosts/permission-hook.js";
import {
  ASKING_TOOLS,
  reportHookActivity,
  sessionContext,
  sessionStarted,
  sessionStopped,
} from "../../hosts/session-hooks.js";
import { openWorkspace, resolveIdentity, type Workspace } from "../../services/workspace.js";
import { neutralise, neutraliseStrings, safeJson } from "../../util/control-chars.js";
import { sleepSync } from "../../util/sleep.js";
import { BATON_DIR } from "../../workspace/config-file.js";
import { hubRootOf, tryTree } from "../../workspace/find-root.js";
import { rememberHostSession } from "../../workspace/host-session.js";
import { existingAncestor } from "../../workspace/real-path.js";
import { action, type CliContext } from "../context.js";

type HookInput = Record<string, unknown>;
type Handler = (ctx: CliContext, input: HookInput, host: HookHost) => Promise<object | null>;

const HANDLERS: Record<string, Handler> = {
  "pre-edit": async (ctx, input, host) => {
    // A question or a plan put to the human writes nothing: it only says the agent now waits.
    if (ASKING_TOOLS.includes(String(input.tool_name))) {
      await reportHookActivity(await ctx.workspace(), "pre-edit", input, host);
      return null;
    }
    const cwd = sessionCwd(input);
    const { writes } = editTargets(input);
    const ws = await guardWorkspace(ctx, writes, cwd);
    try {
      const held = await heldFiles(ws, writes, cwd);
      if (held.length === 0) return null;
      return denyAnswer(host, denyReason(held, Date.now(), hasMcpTools(host) ? "mcp" : "cli", ws.identity));
    } finally {
      await ws.close();
    }
  },
  "session-start": async (ctx, input, host) => {
    const ws = await ctx.workspace();
    remember(ws, input, host);
    await sessionStarted(ws);
    return contextAnswer(host, await sessionContext(ws));
  },
  stop: async (ctx, input, host) => {
    await sessionStopped(await ctx.workspace(), host, input);
    return null;
  },
  prompt: async (ctx, input, host) => {
    const ws = await ctx.workspace();
    remember(ws, input, host);
    await reportHookActivity(ws, "prompt", input, host);
    return null;
  },
  notification: async (ctx, input, host) => {
    await reportHookActivity(await ctx.workspace(), "notification", input, host);
    return null;
  },
  permission: async (ctx, input, host) => {
    // The host ends a hook it no longer waits for: the approval must expire before this process does.
    const gone = new AbortController();
    const stop = () => gone.abort();
    for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.once(sig, stop);
    try {
      return await answerPermission(await ctx.workspace(), host, input, gone.signal);
    } finally {
      for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.off(sig, stop);
    }
  },
};

/** The host's session id, kept in the agent's tree: a lead's spawn_agent {fork: true} starts a teammate from it. */
function remember(ws: Workspace, input: HookInput, host: HookHost): void {
  if (!ws.identity || !ws.tree) return;
  try {
    rememberHostSession(ws.tree.gitDir, host, input, sessionCwd(input));
  } catch {
    // Only a fork needs it: a git dir baton cannot write must not cost the session its context.
  }
}

/** The session's folder, where relative paths start: the hook input's `cwd`, else where the hook runs. */
function sessionCwd(input: HookInput): string {
  return typeof input.cwd === "string" && input.cwd ? input.cwd : process.cwd();
}

/**
 * The hub that guards the files a call writes: the repository of the first of
 * them that lives in a baton repository, wherever the host runs (Claude Code
 * started outside the repository still runs the user-level hook). Who is
 * editing comes from the session's own folder, as for any command there.
 */
async function guardWorkspace(ctx: CliContext, writes: ShellWrite[], cwd: string): Promise<Workspace> {
  const usesHub = (dir: string) => {
    const tree = tryTree(dir);
    return tree !== undefined && existsSync(join(hubRootOf(tree), BATON_DIR));
  };
  const dirs = writes.map((w) => existingAncestor(resolve(cwd, w.cwd, w.path)));
  const session = existingAncestor(resolve(cwd));
  return openWorkspace({
    cwd: dirs.find(usesHub) ?? session,
    as: resolveIdentity(ctx.globals.as, tryTree(session)).identity,
    store: ctx.globals.store ?? (process.env.BATON_STORE || undefined),
  });
}

/** The hook's JSON on stdin, whatever arrives: anything but an object counts as an empty one. */
/**
 * The most hook input read: far above any tool call a host sends (a Write of a
 * large file included), a bound for a stdin that never ends (/dev/zero).
 */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

function readStdin(): string {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(1024 * 1024);
  let total = 0;
  for (;;) {
    let read: number;
    try {
      read = readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
        sleepSync(5); // a non-blocking pipe with nothing yet
        continue;
      }
      if ((error as NodeJS.ErrnoException).code === "EOF") break;
      throw error;
    }
    if (read === 0) break;
    total += read;
    if (total > MAX_INPUT_BYTES) {
      throw new BatonError(
        "invalid_input",
        `the hook's input is over ${MAX_INPUT_BYTES / 1024 / 1024} MiB`,
        "a host sends one tool call as JSON on stdin; check what runs this hook",
      );
    }
    chunks.push(Buffer.from(chunk.subarray(0, read)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function readInput(): HookInput {
  try {
    const parsed: unknown = JSON.parse(readStdin() || "{}");
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as HookInput;
  } catch (error) {
    if (isBatonError(error)) throw error;
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
  const key = createHash("sha256")
    .update(`${session}\n${process.cwd()}\n${error.code}\n${error.message}`)
    .digest("hex");
  try {
    closeSync(openSync(join(tmpdir(), `baton-hook-${key.slice(0, 24)}`), "wx"));
  } catch {
    return; // said already
  }
  const what = event === "pre-edit" ? "the edit guard is off" : `baton hook ${event} did nothing`;
  process.stderr.write(
    `baton: ${what}: ${neutralise(error.message)}\nWhat to do: ${neutralise(error.hint)}\n`,
  );
  process.exitCode = 1;
}

/** Whether this tree shows that its team uses baton (committed `.baton/` files) though its hub is not set up. */
function usesBaton(): boolean {
  const tree = tryTree(process.cwd());
  return (
    tree !== undefined &&
    (existsSync(join(tree.root, BATON_DIR)) || existsSync(join(hubRootOf(tree), BATON_DIR)))
  );
}

export function registerHookCommand(program: Command): void {
  program
    .command("hook")
    .description(
      "handle an agent host's hook (reads the hook's JSON on stdin): pre-edit, session-start, stop, prompt, notification, permission",
    )
    .argument("<event>", "pre-edit | session-start | stop | prompt | notification | permission")
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
                 (before AskUserQuestion or ExitPlanMode: records the agent
                 waiting for the human, and allows the call)
  session-start  puts the agent's task and unread messages into the context
  stop           records the agent idle (its turn ended)
  prompt         records the agent working (a prompt was submitted)
  notification   records the agent waiting for the human (a permission
                 prompt, a dialog) or idle (the host's idle notice)
  permission     Claude Code's permission prompt: answered by the config's
                 permissions rules, or a baton approval a human decides
                 (baton approve); none in time denies and interrupts

A hook never breaks its host: a file outside the repository, or a repository
without baton, is allowed silently; when baton itself cannot run, it says so
once per session on stderr (exit 1).`,
    )
    .action(
      action(async (ctx, event: string, o: { host?: string }) => {
        const handler = HANDLERS[event];
        if (!handler)
          throw new BatonError(
            "usage",
            `unknown hook '${event}'`,
            "use pre-edit, session-start, stop, prompt, notification or permission",
          );
        if (o.host !== undefined && !HOOK_HOSTS.includes(o.host as HookHost))
          throw new BatonError("usage", `unknown host '${o.host}'`, `use ${HOOK_HOSTS.join(", ")}`);
        let input: HookInput;
        try {
          input = readInput();
        } catch (error) {
          sayOnce({}, event, toBatonError(error)); // never breaks the host: said once, exit 1
          return;
        }
        const host = (o.host as HookHost | undefined) ?? detectHost(input);
        try {
          const output = await handler(ctx, input, host);
          // A host shows the reason and the context to a person: what agents wrote in them is shown, never obeyed.
          if (output) process.stdout.write(`${safeJson(neutraliseStrings(output))}\n`);
        } catch (error) {
          const e = toBatonError(error);
          // Not a baton repository: nothing to guard, nothing to say.
          if (e.code === "not_a_repository" || (e.code === "not_initialised" && !usesBaton())) return;
          sayOnce(input, event, e);
        }
      }),
    );
}
