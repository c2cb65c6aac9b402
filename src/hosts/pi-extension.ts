/**
 * The edit guard for pi, which has no hooks but loads TypeScript extensions
 * from `.pi/extensions/` in the folder it starts in. Before pi's write, edit
 * and bash tools run, it asks `baton hook pre-edit --host pi` and blocks the
 * call with baton's reason when another agent holds the file. It names no agent
 * and no machine path (it is committed): baton is the worktree's launcher
 * `.baton/bin/baton` when there is one, else `baton` on PATH.
 */
export const PI_EXTENSION_PATH = ".pi/extensions/baton-guard.ts";

export const PI_EXTENSION = `// baton's edit guard for pi (written by \`baton connect pi\`; safe to commit).
// Before write, edit and bash run, asks baton whether another agent holds a lease on a
// file the call would write, and blocks the call with baton's reason if so.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

let warned = false;

function ask(cwd: string, input: unknown): Promise<{ stdout: string; failure?: string }> {
  const launcher = join(cwd, ".baton", "bin", "baton");
  const command = existsSync(launcher) ? launcher : "baton";
  return new Promise((resolve) => {
    const child = spawn(command, ["hook", "pre-edit", "--host", "pi"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (e: Error) => {
      clearTimeout(timer);
      resolve({ stdout, failure: \`cannot run \${command}: \${e.message}\` });
    });
    child.on("close", (code: number | null) => {
      clearTimeout(timer);
      resolve({ stdout, failure: code === 0 ? undefined : stderr.trim() || \`exit \${code}\` });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(JSON.stringify(input));
  });
}

export default function (pi: any) {
  pi.on("tool_call", async (event: any, ctx: any) => {
    if (!["write", "edit", "bash"].includes(event.toolName)) return undefined;
    const cwd = ctx?.cwd ?? process.cwd();
    const answer = await ask(cwd, { hook_event_name: "PreToolUse", tool_name: event.toolName, tool_input: event.input, cwd });
    if (answer.failure && !warned) {
      warned = true;
      console.error(\`baton: the edit guard is off: \${answer.failure}\`);
    }
    let decision: any = null;
    try {
      decision = answer.stdout.trim() ? JSON.parse(answer.stdout) : null;
    } catch {
      // not JSON: allow
    }
    const out = decision?.hookSpecificOutput;
    if (out?.permissionDecision === "deny") return { block: true, reason: String(out.permissionDecisionReason) };
    return undefined;
  });
}
`;
