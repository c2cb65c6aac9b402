import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { AgentKind } from "../domain/types.js";
import { openWorkspace } from "../services/workspace.js";
import { findTree } from "../workspace/find-root.js";
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
  try {
    return findTree(cwd).root;
  } catch {
    return cwd;
  }
}

/**
 * `baton mcp`: joins the team on start, then serves MCP over stdio until the
 * host closes it. Loaded only by that command, so the SDK never slows the CLI.
 */
export async function serveStdio(options: ServeOptions): Promise<void> {
  const ws = await openWorkspace({ as: options.as, store: options.store, cwd: treeRoot(process.cwd()) });
  const joined = await ws.agents.join({ kind: options.kind as AgentKind | undefined, role: options.role });
  const session = new McpSession(ws, joined.name, options.maxWaitMs);
  await session.resume();
  const server = createMcpServer(session, options.version);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport());
  await closed;
  await ws.close();
}
