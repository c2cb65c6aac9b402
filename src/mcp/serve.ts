import type { AgentKind } from "../domain/types.js";
import { BatonError } from "../errors.js";
import { openWorkspace, type Workspace } from "../services/workspace.js";
import { tryTree } from "../workspace/find-root.js";
import { RequestGate } from "./request-gate.js";
import { createMcpServer, SERVED_REQUESTS } from "./server.js";
import { McpSession } from "./session.js";
import { logLine, StdioTransport } from "./stdio-transport.js";

/**
 * How long requests already read may still finish once the host closed stdin:
 * a script that pipes its requests in and closes gets its answers; a tool
 * waiting for a human is not worth holding the process for.
 */
const DRAIN_MS = 5000;

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
    // Logs are best effort: a host that closed our stderr must not cost the agent its tools.
    process.stderr.on("error", () => undefined);
    const transport = new StdioTransport();
    const gate = new RequestGate(transport, SERVED_REQUESTS);
    // What the SDK reports out of band (a response to nothing, a failing notification handler) is said, not swallowed.
    gate.onerror = (error) => logLine(error.message);
    await server.connect(gate);
    try {
      // Until the host closes stdin (then exit 0), or a pipe breaks (thrown: said on stderr, exit non-zero).
      await transport.done;
      await gate.drained(DRAIN_MS);
      const left = gate.unanswered();
      // Never silent: what the host will not get an answer to (a tool still waiting for a human) is said.
      if (left > 0)
        logLine(
          `the host closed stdin; ${left} request(s) still running were left unanswered after ${DRAIN_MS / 1000} s`,
        );
    } finally {
      await server.close();
    }
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
  const me = await ws.agents.me();
  if (me?.kind === "human") {
    throw new BatonError(
      "forbidden",
      `${me.name} is a human: an agent host cannot act under that name`,
      "give the agent a name of its own (baton connect HOST --as NAME)",
    );
  }
}
