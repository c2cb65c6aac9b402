/**
 * MCP clients of the hub's /mcp (streamable HTTP), one session per agent key,
 * each the official SDK client with the key as `Authorization: Bearer`. Calls
 * one tool and times each call from the client's request to its parsed answer.
 *
 *   node mcp-http-agents.mjs BASE TOOL ARGS_JSON MODE KEYS CALLS [WARMUP]
 *
 * KEYS: comma-separated secrets, one session each. MODE:
 *   sequential  one call at a time, the sessions taken in turn
 *   parallel    every session calls at once, each one call at a time
 *
 * The hub allows one key 50 requests a second after a burst of 100
 * (src/server/auth/rate-limit.ts): each session keeps under that with a bucket
 * of its own (45 a second, 90 at once), so no call meets the limiter; in
 * sequential mode a session spends its burst and the next takes over.
 *
 * Protocol (IPC): "ready" once every session is initialised and WARMUP calls
 * (not timed) are made, so neither side's first calls (loading, JIT) count; then "go" runs
 * CALLS calls, reports {agent, latencies, wallMs} and exits (runWorkers), or
 * {calls, measure} runs that many and reports, and "close" ends the sessions and
 * exits (a driver that reads the hub between phases).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [base, tool, argsJson, mode, keyList, calls, warmup = "0"] = process.argv.slice(2);
const toolArgs = JSON.parse(argsJson);
const RATE = 45;
const BURST = 90;

class Bucket {
  tokens = BURST;
  at = performance.now();
  /** Milliseconds until a token is there (0: take it now). */
  wait() {
    const now = performance.now();
    this.tokens = Math.min(BURST, this.tokens + ((now - this.at) / 1000) * RATE);
    this.at = now;
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / RATE) * 1000;
  }
  take() {
    this.tokens -= 1;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function open(key) {
  const client = new Client({ name: "baton-bench", version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return { client, bucket: new Bucket() };
}

const sessions = [];
for (const key of keyList.split(",")) sessions.push(await open(key));

async function call(session, latencies) {
  session.bucket.take();
  const t0 = performance.now();
  const result = await session.client.callTool({ name: tool, arguments: toolArgs });
  latencies?.push(performance.now() - t0);
  if (result.isError) throw new Error(`${tool}: ${result.content[0]?.text}`);
}

async function run(count, measure) {
  const latencies = measure ? [] : undefined;
  const started = performance.now();
  if (mode === "sequential") {
    let current = 0;
    for (let done = 0; done < count; done++) {
      // This session's burst is spent: the next one with a token takes over, else wait for the soonest.
      for (;;) {
        const waits = sessions.map((_, i) => sessions[(current + i) % sessions.length].bucket.wait());
        const ready = waits.indexOf(0);
        if (ready >= 0) {
          current = (current + ready) % sessions.length;
          break;
        }
        await sleep(Math.min(...waits));
      }
      await call(sessions[current], latencies);
    }
  } else {
    let left = count;
    await Promise.all(
      sessions.map(async (session) => {
        while (left > 0) {
          left--;
          const wait = session.bucket.wait();
          if (wait > 0) await sleep(wait);
          await call(session, latencies);
        }
      }),
    );
  }
  return { latencies: latencies ?? [], calls: count, wallMs: performance.now() - started };
}

async function close() {
  for (const { client } of sessions) await client.close();
}

process.on("message", async (message) => {
  if (message === "go") {
    const result = await run(Number(calls), true);
    await close();
    process.send({ agent: `mcp-${process.pid}`, ...result }, () => process.exit(0));
  } else if (message === "close") {
    await close();
    process.exit(0);
  } else if (typeof message?.calls === "number") {
    process.send(await run(message.calls, message.measure));
  }
});
await run(Number(warmup), false);
process.send("ready");
