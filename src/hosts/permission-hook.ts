import { clip } from "../errors.js";
import { PermissionBroker } from "../orchestrator/work/permission-broker.js";
import type { Workspace } from "../services/workspace.js";

const text = (v: unknown) => (typeof v === "string" ? v : undefined);

/**
 * Claude Code's PermissionRequest hook, for an agent baton knows: the
 * config's rules answer at once; any other request becomes a baton approval
 * that a human decides from anywhere (`baton approve`, the web app), waited
 * for up to `permissions.approval_timeout`. No decision in time denies the
 * tool and interrupts the turn (never a dialog that waits on nobody). When
 * the host gives up on the hook (its turn was interrupted, the process ended:
 * `signal`), the approval expires, so a late approval runs nothing.
 *
 * A session with no agent name (a person's own Claude Code), or a team with no
 * humans named, is left to the host's dialog: null.
 */
export async function answerPermission(
  ws: Workspace,
  host: string,
  input: Record<string, unknown>,
  signal: AbortSignal,
): Promise<object | null> {
  const tool = text(input.tool_name);
  // With no humans in the config nobody could decide an approval: the terminal's dialog stays.
  if (!ws.identity || !tool || ws.config.humans.length === 0) return null;
  const me = (await ws.agents.list()).find((agent) => agent.name === ws.identity);
  if (me?.kind === "human") return null;
  const held = (await ws.tasks.list({ mine: true })).find((task) => task.holder === ws.identity);
  const broker = new PermissionBroker(ws, { host, task: held?.id ?? null });
  const ended = () => void broker.end();
  signal.addEventListener("abort", ended, { once: true });
  const shown = clip(tool, 200);
  await ws.agents.reportActivity("waiting", `${host}:PermissionRequest`, shown).catch(() => undefined);
  // A tool's input is an object (a command, a path): anything else cannot be shown to a human as what
  // would run, so it is refused rather than asked about with nothing to read.
  const toolInput = input.tool_input ?? {};
  const decision =
    typeof toolInput !== "object" || toolInput === null || Array.isArray(toolInput)
      ? {
          behavior: "deny" as const,
          message: "baton refuses a permission request whose tool_input is not an object",
          interrupt: false,
        }
      : await broker.decide({
          tool,
          input: toolInput as Record<string, unknown>,
          // Codex names the turn instead of the call.
          toolUseId: text(input.tool_use_id) ?? text(input.turn_id) ?? "unknown",
          sessionId: text(input.session_id),
          turn: 0,
        });
  signal.removeEventListener("abort", ended);
  await broker.end();
  if (!signal.aborted)
    await ws.agents
      .reportActivity("working", `${host}:PermissionRequest:${decision.behavior}`, shown)
      .catch(() => undefined);
  return {
    hookSpecificOutput: {
      hookEventName: "PermissionRequest",
      decision:
        decision.behavior === "allow"
          ? { behavior: "allow" }
          : {
              behavior: "deny",
              message: decision.message,
              // Codex reserves `interrupt` and fails closed on it: only Claude Code gets it.
              ...(decision.interrupt && host === "claude" ? { interrupt: true } : {}),
            },
    },
  };
}
