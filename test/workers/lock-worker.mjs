// Locks and unlocks random paths among 16 for a while; prints how many grants it got.
import { SqliteStore } from "../../dist/index.js";

const [dbPath, agent, seconds] = process.argv.slice(2);
const store = new SqliteStore({ path: dbPath });
const paths = Array.from({ length: 16 }, (_, i) => `src/file-${i}.ts`);
const until = Date.now() + Number(seconds) * 1000;
let grants = 0;
let conflicts = 0;
while (Date.now() < until) {
  const path = paths[Math.floor(Math.random() * paths.length)];
  const { granted } = await store.acquireLeases({
    actor: agent,
    paths: [path],
    exclusive: true,
    ttlMs: 60_000,
  });
  if (granted.length === 0) {
    conflicts++;
    continue;
  }
  grants++;
  await store.releaseLeases({ actor: agent, paths: [path], token: granted[0].token });
}
await store.close();
process.stdout.write(`${JSON.stringify({ agent, grants, conflicts })}\n`);
