// Lock + unlock on Redis as usually written: SET key token NX PX ttl, then a Lua compare-and-delete,
// over the same 64 paths and for the same time as baton's lock worker; a refused SET is a conflict
// (counted, not timed), as a refused lease is in baton's.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { readySteady } from "../lib/processes.mjs";

const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

const [url, prefix, agent, ms] = process.argv.slice(2);
const redis = new Redis(url);
redis.defineCommand("unlock", { numberOfKeys: 1, lua: UNLOCK });
const keys = Array.from({ length: 64 }, (_, i) => `${prefix}lock:src/module-${i}/index.ts`);
await redis.ping();
await readySteady();
const latencies = [];
let conflicts = 0;
const until = performance.now() + Number(ms);
while (performance.now() < until) {
  const key = keys[Math.floor(Math.random() * keys.length)];
  const token = `${agent}:${randomBytes(8).toString("hex")}`;
  const t0 = performance.now();
  if ((await redis.set(key, token, "PX", 600_000, "NX")) !== "OK") {
    conflicts++;
    continue;
  }
  if ((await redis.unlock(key, token)) !== 1) throw new Error(`${agent} lost its lock on ${key}`);
  latencies.push(performance.now() - t0);
}
redis.disconnect();
process.send({ agent, latencies, conflicts }, () => process.exit(0));
