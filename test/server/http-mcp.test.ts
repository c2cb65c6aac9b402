import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { startServer } from "../helpers/http-server.js";
import { connectMcp } from "../helpers/mcp-client.js";
import { asAgent, asHuman } from "../helpers/test-authenticator.js";

const clients: Client[] = [];
afterEach(async () => {
  while (clients.length) await clients.pop()!.close();
});

/** The official MCP client over streamable HTTP, with a key. */
async function connectHttp(url: string, auth: Record<string, string>): Promise<Client> {
  const client = new Client({ name: "baton-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: auth } }),
  );
  clients.push(client);
  return client;
}

async function tool(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { type: string; text: string }[];
  };
  const text = result.content[0]!.text;
  return { isError: result.isError === true, text, json: () => JSON.parse(text) };
}

/** What differs between two agents' answers by nature (who, which task, when), blanked out. */
function shape(value: unknown): string {
  const varying = new Set([
    "id",
    "seq",
    "holder",
    "token",
    "claimExpiresAt",
    "createdAt",
    "updatedAt",
    "at",
    "createdBy",
  ]);
  return JSON.stringify(value, (key, v) => (varying.has(key) ? "·" : v));
}

const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};
const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

describe("MCP over streamable HTTP at /mcp", () => {
  it("serves the same tools as baton mcp over stdio, with the same answers", async () => {
    const { url, repo, hub } = await startServer();
    await hub.as("lead").tasks.add("work");
    await hub.as("lead").tasks.add("work");
    const http = await connectHttp(url, asAgent("h1"));
    const stdio = await connectMcp(repo, "s1");
    const [overHttp, overStdio] = await Promise.all([http.listTools(), stdio.listTools()]);
    expect(overHttp.tools.length).toBeGreaterThan(10);
    expect(overHttp.tools).toEqual(overStdio.tools);

    const claimedHttp = await tool(http, "claim_task");
    const claimedStdio = await tool(stdio, "claim_task");
    expect(claimedHttp.isError).toBe(false);
    expect(claimedHttp.json().task).toMatchObject({ id: "T-1", holder: "h1", status: "claimed" });
    expect(claimedStdio.json().task).toMatchObject({ id: "T-2", holder: "s1", status: "claimed" });
    expect(shape(claimedHttp.json())).toBe(shape(claimedStdio.json()));
    // The same refusal, too: a second claim while holding one.
    const [againHttp, againStdio] = [await tool(http, "claim_task"), await tool(stdio, "claim_task")];
    expect(againHttp.isError && againStdio.isError).toBe(true);
    expect(againHttp.text.replace(/T-\d+/g, "·")).toBe(againStdio.text.replace(/T-\d+/g, "·"));
    // The claim is the key's: the agent in the store, the task's holder.
    expect((await hub.store.getTask({ id: "T-1" })).holder).toBe("h1");
  });

  it("keeps one session per key: a host that initializes again goes on with its claim", async () => {
    const { url, hub } = await startServer();
    await hub.as("lead").tasks.add("work");
    const first = await connectHttp(url, asAgent("h1"));
    expect((await tool(first, "claim_task")).json().task.id).toBe("T-1");
    const again = await connectHttp(url, asAgent("h1"));
    const done = await tool(again, "complete_task", { result: "finished after a restart" });
    expect(done.isError).toBe(false);
    expect(done.json().task).toMatchObject({ id: "T-1", status: "done" });
  });

  it("refuses humans, callers without a key, and another key's session id", async () => {
    const { url } = await startServer();
    const human = await fetch(`${url}/mcp`, {
      method: "POST",
      headers: { ...MCP_HEADERS, ...asHuman("lea") },
      body: JSON.stringify(INIT),
    });
    expect(human.status).toBe(403);
    expect(((await human.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    const nobody = await fetch(`${url}/mcp`, {
      method: "POST",
      headers: MCP_HEADERS,
      body: JSON.stringify(INIT),
    });
    expect(nobody.status).toBe(401);

    const mine = await fetch(`${url}/mcp`, {
      method: "POST",
      headers: { ...MCP_HEADERS, ...asAgent("a1") },
      body: JSON.stringify(INIT),
    });
    expect(mine.status).toBe(200);
    const sessionId = mine.headers.get("mcp-session-id")!;
    expect(sessionId).toBeTruthy();
    await mine.body?.cancel();
    const list = { jsonrpc: "2.0", id: 2, method: "tools/list", params: {} };
    const theirs = await fetch(`${url}/mcp`, {
      method: "POST",
      headers: { ...MCP_HEADERS, ...asAgent("a2"), "mcp-session-id": sessionId },
      body: JSON.stringify(list),
    });
    expect(theirs.status).toBe(404);
    await theirs.body?.cancel();
    // Not initialize and no session: a usage error, and a1's session is still there.
    const stray = await fetch(`${url}/mcp`, {
      method: "POST",
      headers: { ...MCP_HEADERS, ...asAgent("a1") },
      body: JSON.stringify(list),
    });
    expect(stray.status).toBe(400);
    await stray.body?.cancel();
  });
});
