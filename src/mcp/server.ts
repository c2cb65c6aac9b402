import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  InitializeRequestSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
  SetLevelRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { RequestSchema } from "./request-gate.js";
import type { McpSession } from "./session.js";
import { ToolRegistry } from "./tool-registry.js";
import { registerFileTools } from "./tools/file-tools.js";
import { registerHumanTools } from "./tools/human-tools.js";
import { registerMessageTools } from "./tools/message-tools.js";
import { registerProjectTools } from "./tools/project-tools.js";
import { registerTaskTools } from "./tools/task-tools.js";
import { registerTeamTools } from "./tools/team-tools.js";

/**
 * Every request baton's server answers, with its schema: the request gate
 * answers any other method with -32601 and params that do not fit with -32602.
 * `initialize`, `ping` and `logging/setLevel` are the SDK Server's own handlers
 * (the last because of the logging capability); the tools are baton's.
 */
export const SERVED_REQUESTS: ReadonlyMap<string, RequestSchema> = new Map<string, RequestSchema>([
  ["initialize", InitializeRequestSchema],
  ["ping", PingRequestSchema],
  ["logging/setLevel", SetLevelRequestSchema],
  ["tools/list", ListToolsRequestSchema],
  ["tools/call", CallToolRequestSchema],
]);

/**
 * baton as an MCP server, for one session (one agent). A factory, so any
 * transport can serve it: stdio today (`baton mcp`), HTTP in the hub later.
 */
export function createMcpServer(session: McpSession, version: string): Server {
  const server = new Server(
    { name: "baton", version },
    {
      capabilities: { tools: {}, logging: {} },
      instructions:
        "baton coordinates the agents working on this repository. Call get_project_info first. Claim a task before working on it, lock the files you edit, ask the human when unsure, and finish with complete_task.",
    },
  );
  const tools = new ToolRegistry(session);
  registerProjectTools(tools, session);
  registerTaskTools(tools, session);
  registerFileTools(tools, session);
  registerMessageTools(tools, session);
  registerHumanTools(tools, session);
  registerTeamTools(tools, session);
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.list() }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    tools.call(request.params.name, request.params.arguments, extra),
  );
  return server;
}
