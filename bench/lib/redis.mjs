/**
 * The Redis the baselines run on: REDIS_URL if set, else the local one at
 * 127.0.0.1:6379, else a `redis-server` started for this run (without
 * persistence, on a free loopback port; BENCH_OWN_REDIS=1 starts one even
 * when 6379 answers, so nothing else shares it). With none of these the bench stops
 * with a message saying so: a baseline silently left out would make baton look
 * better than it is.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { Redis } from "ioredis";

async function answers(url) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Finds or starts a Redis; returns its URL, a fresh key prefix, and stop() (which deletes the prefix's keys). */
export async function openRedis(scratch) {
  let url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  let server;
  const own = process.env.BENCH_OWN_REDIS === "1";
  if (own || !(await answers(url))) {
    if (process.env.REDIS_URL && !own) throw new Error(`bench: no Redis answers at REDIS_URL=${url}`);
    const port = await freePort();
    server = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", scratch],
      {
        stdio: "ignore",
      },
    );
    const failed = new Promise((_, reject) => {
      server.once("error", (error) =>
        reject(
          new Error(
            `bench: ${own ? "BENCH_OWN_REDIS=1 but" : "no Redis at 127.0.0.1:6379 and"} redis-server could not be started (${error.message}). ` +
              "The BullMQ and Redis baselines need one: start Redis, or set REDIS_URL.",
          ),
        ),
      );
    });
    url = `redis://127.0.0.1:${port}`;
    const deadline = performance.now() + 10_000;
    for (;;) {
      if (await Promise.race([answers(url), failed])) break;
      if (performance.now() > deadline) {
        server.kill("SIGTERM");
        throw new Error(`bench: redis-server started on port ${port} but did not answer within 10 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  // One prefix per run, so a run never reads another's keys and cleans up only its own.
  const prefix = `baton-bench:${process.pid}-${randomBytes(4).toString("hex")}:`;
  const info = await describe(url);
  return {
    url,
    prefix,
    info,
    async stop() {
      await deleteKeys(url, prefix);
      if (server) server.kill("SIGTERM");
    },
  };
}

async function describe(url) {
  const redis = new Redis(url);
  try {
    const text = await redis.info("server");
    const persistence = await redis.config("GET", "appendonly");
    const version = /redis_version:(\S+)/.exec(text)?.[1] ?? "?";
    return `Redis ${version}, appendonly ${persistence[1]}`;
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under `prefix` (SCAN, not KEYS, so a shared Redis is not blocked). */
export async function deleteKeys(url, prefix) {
  const redis = new Redis(url);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
