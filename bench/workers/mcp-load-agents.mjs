/**
 * Load for the hub's /mcp: one MCP session per agent key, all calling one tool
 * at once, each one call at a time. Each session is a real one (initialize,
 * its Mcp-Session-Id and protocol version on every request, notifications/
 * initialized), spoken over one keep-alive connection of its own with node:http:
 * the SDK client costs several times the hub's own work per call, and on a
 * 2-core machine the load would then measure the clients. Round trips as the
 * SDK client sees them are measured with it (mcp-http-agents.mjs).
 *
 *   node mcp-load-agents.mjs BASE TOOL ARGS_JSON KEYS
 *
 * A key allows 50 requests a second after a burst of 100 (rate-limit.ts): each
 * session keeps under that (45 a second, 90 at once).
 *
 * Protocol (IPC): "ready" once every session is initialised; {calls} runs that
 * many calls spread over the sessions and reports {latencies, calls, wallMs};
 * "close" ends the sessions and exits.
 */
import { Agent, request } from "node:http";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";

const [base, tool, argsJson, keyList] = process.argv.slice(2);
const toolArgs = JSON.parse(argsJson);
const { hostname, port } = new URL(base);
const RATE = 45;
const BURST = 90;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One POST to /mcp; resolves with the response's headers and its JSON-RPC message (JSON or one SSE event). */
function post(session, body) {
  return new Promise((resolve, reject) => {
    const headers = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${session.key}`,
    };
    if (session.id) headers["mcp-session-id"] = session.id;
    if (session.version) headers["mcp-protocol-version"] = session.version;
    const req = request(
      { host: hostname, port, path: "/mcp", method: "POST", headers, agent: session.agent },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => {
          if (res.statusCode >= 300) {
            reject(new Error(`MCP ${body.method}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
            return;
          }
          const json = (res.headers["content-type"] ?? "").includes("text/event-stream")
            ? text
                .split("\n")
                .filter((line) => line.startsWith("data: "))
                .map((line) => line.slice(6))
                .join("")
            : text;
          resolve({ headers: res.headers, message: json ? JSON.parse(json) : undefined });
        });
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

async function open(key) {
  const session = { key, agent: new Agent({ keepAlive: true, maxSockets: 1 }), next: 1, tokens: BURST };
  const { headers, message } = await post(session, {
    jsonrpc: "2.0",
    id: session.next++,
    method: "initialize",
    params: {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: "baton-bench-load", version: "1" },
    },
  });
  session.id = headers["mcp-session-id"];
  session.version = message.result.protocolVersion;
  await post(session, { jsonrpc: "2.0", method: "notifications/initialized" });
  session.at = performance.now();
  session.tokens = BURST - 2;
  return session;
}

/** Milliseconds until this session may send again without meeting the hub's limiter. */
function wait(session) {
  const now = performance.now();
  session.tokens = Math.min(BURST, session.tokens + ((now - session.at) / 1000) * RATE);
  session.at = now;
  return session.tokens >= 1 ? 0 : ((1 - session.tokens) / RATE) * 1000;
}

async function call(session, latencies) {
  session.tokens -= 1;
  const t0 = performance.now();
  const { message } = await post(session, {
    jsonrpc: "2.0",
    id: session.next++,
    method: "tools/call",
    params: { name: tool, arguments: toolArgs },
  });
  latencies.push(performance.now() - t0);
  if (message.error || message.result?.isError)
    throw new Error(`${tool}: ${JSON.stringify(message.error ?? message.result.content)}`);
}

const sessions = await Promise.all(keyList.split(",").map(open));

async function run(count) {
  const latencies = [];
  const started = performance.now();
  let left = count;
  await Promise.all(
    sessions.map(async (session) => {
      while (left > 0) {
        left--;
        const ms = wait(session);
        if (ms > 0) await sleep(ms);
        await call(session, latencies);
      }
    }),
  );
  return { latencies, calls: count, wallMs: performance.now() - started };
}

process.on("message", async (message) => {
  if (message === "close") {
    for (const session of sessions) session.agent.destroy();
    process.exit(0);
  } else if (typeof message?.calls === "number") {
    process.send(await run(message.calls));
  }
});
process.send("ready");
