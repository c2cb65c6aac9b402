import { join } from "node:path";
import type { ConnectPlan, HostContext } from "./connect.js";
import { setMarkdownSection } from "./host-files.js";
import type { Host } from "./host-names.js";
import { protocolText } from "./instructions.js";
import { PI_EXTENSION, PI_EXTENSION_PATH } from "./pi-extension.js";

/**
 * pi, aider and plain shells have no MCP: they learn the CLI from a section of
 * AGENTS.md (aider: CONVENTIONS.md). The section names no agent, so one
 * committed file serves every agent; pi also gets its edit guard extension.
 */
export function planInstructions(
  host: Extract<Host, "pi" | "aider" | "shell">,
  ctx: HostContext,
): ConnectPlan {
  const path = join(ctx.tree.root, host === "aider" ? "CONVENTIONS.md" : "AGENTS.md");
  const files = [ctx.change(path, (text) => setMarkdownSection(text, protocolText()))];
  const notes: ConnectPlan["notes"] = [];
  if (host === "pi") {
    files.push(ctx.change(join(ctx.tree.root, PI_EXTENSION_PATH), () => PI_EXTENSION));
    notes.push({
      level: "todo",
      text: `start pi in ${ctx.tree.root}: it loads .pi/extensions (the edit guard) only from the folder it starts in`,
    });
  }
  if (host === "aider")
    notes.push({
      level: "todo",
      text: "start aider with --read CONVENTIONS.md so it reads the instructions",
    });
  return { files, notes };
}
