import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { AgentKind } from "../domain/types.js";
import { BatonError } from "../errors.js";
import { openWorkspace, type Workspace } from "../services/workspace.js";
import { tryTree } from "../workspace/find-root.js";
import { createMcpServer } from "./server.js";
import { McpSession } from "./session.js";

export interface ServeOptions {
  as?: string;
  store?: string;
  kind?: string;
  role?: string;
  maxWaitMs: number;
  version: string;
}

/**
 * The tools take paths relative to the repository root, as their descriptions
 * say, wherever the host started the server: Claude Code started in a subfolder
 * starts it there too. Outside any tree (an explicit store), the folder itself.
 */
function treeRoot(cwd: string): string {
  return tryTree(cwd)?.root ?? cwd;
}

/**
 * `baton mcp`: joins the team on start, then serves MCP over stdio until the
 * host closes it. Loaded only by that command, so the SDK never slows the CLI.
 */
export async function serveStdio(options: ServeOptions): Promise<void> {
  const ws = await openWorkspace({ as: options.as, store: options.store, cwd: treeRoot(process.cwd()) });
  try {
    await refuseHumans(ws, options.kind);
    const joined = await ws.agents.join({
      kind: options.kind as AgentKind | undefined,
      role: options.role,
      automatic: true,
    });
    const session = new McpSession(ws, joined.name, options.maxWaitMs);
    await session.resume();
    const server = createMcpServer(session, options.version);
    const transport = new StdioServerTransport();
    // The host closing stdin ends the session as surely as a close message; a broken stream is said, not swallowed.
    const closed = new Promise<void>((resolve) => {
      server.onclose = () => resolve();
      process.stdin.once("end", () => resolve());
      process.stdin.once("close", () => resolve());
    });
    transport.onerror = (error) => process.stderr.write(`baton mcp: ${error.message}\n`);
    await server.connect(transport);
    await closed;
  } finally {
    await ws.close();
  }
}

/**
 * An MCP server speaks for an agent host. A human's name is not an agent's to
 * take, and no host becomes a human by asking: approvals stay with people.
 */
async function refuseHumans(ws: Workspace, kind: string | undefined): Promise<void> {
  if (kind === "human") {
    throw new BatonError(
      "usage",
      "baton mcp serves an agent host, not a human",
      "pass the host's kind (claude, codex, gemini, pi, custom); people use the CLI",
    );
  }
  const me = (await ws.agents.list()).find((agent) => agent.name === ws.identity);
  if (me?.kind === "human") {
    throw new BatonError(
      "forbidden",
      `${me.name} is a human: an agent host cannot act under that name`,
      "give the agent a name of its own (baton connect HOST --as NAME)",
    );
  }
}
