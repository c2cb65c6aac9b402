import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterEach } from "vitest";
import { CLI } from "./temp-repo.js";

const clients: Client[] = [];
afterEach(async () => {
  while (clients.length) await clients.pop()!.close();
});

/**
 * The official MCP client starting `baton mcp` as a child process, as a host
 * would; agent "" passes no --as. Closed after the test.
 */
export async function connectMcp(repo: string, agent: string, extraArgs: string[] = []): Promise<Client> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  delete env.BATON_AGENT;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "mcp", ...(agent ? ["--as", agent] : []), "--kind", "claude", ...extraArgs],
    cwd: repo,
    env,
    stderr: "pipe",
  });
  const client = new Client({ name: "baton-test", version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return client;
}
