import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpSession } from "./session.js";
import { toolRunner } from "./tool-runner.js";
import { registerFileTools } from "./tools/file-tools.js";
import { registerHumanTools } from "./tools/human-tools.js";
import { registerMessageTools } from "./tools/message-tools.js";
import { registerProjectTools } from "./tools/project-tools.js";
import { registerTaskTools } from "./tools/task-tools.js";

/**
 * baton as an MCP server, for one session (one agent). A factory, so any
 * transport can serve it: stdio today (`baton mcp`), HTTP in the hub later.
 */
export function createMcpServer(session: McpSession, version: string): McpServer {
  const server = new McpServer(
    { name: "baton", version },
    {
      capabilities: { logging: {} },
      instructions:
        "baton coordinates the agents working on this repository. Call get_project_info first. Claim a task before working on it, lock the files you edit, ask the human when unsure, and finish with complete_task.",
    },
  );
  const run = toolRunner(session);
  registerProjectTools(server, session, run);
  registerTaskTools(server, session, run);
  registerFileTools(server, session, run);
  registerMessageTools(server, session, run);
  registerHumanTools(server, session, run);
  return server;
}
