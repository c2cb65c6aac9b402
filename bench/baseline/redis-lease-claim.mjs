// claim-next → complete through the Redis Lua lease scripts until none is left;
// timed per task from just before the claim to the completion's reply (two round trips, as baton's).
import { Redis } from "ioredis";
import { readySteady } from "../lib/processes.mjs";
import { defineLeaseCommands } from "./redis-lease.mjs";

const [url, prefix, agent] = process.argv.slice(2);
const redis = new Redis(url);
const lease = defineLeaseCommands(redis, prefix);
await redis.ping();
await readySteady();
const latencies = [];
const ids = [];
for (;;) {
  const t0 = performance.now();
  const claimed = await lease.claim(agent, 600_000);
  if (!claimed) break;
  const [id, token] = claimed;
  await lease.complete(id, agent, token);
  latencies.push(performance.now() - t0);
  ids.push(id);
}
redis.disconnect();
process.send({ agent, latencies, ids }, () => process.exit(0));
