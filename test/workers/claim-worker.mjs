// Claims and completes tasks until none is ready; prints the ids it completed as one JSON line.
import { SqliteStore } from "../../dist/index.js";

const [dbPath, agent] = process.argv.slice(2);
const store = new SqliteStore({ path: dbPath });
const completed = [];
for (;;) {
  const { task, token } = await store.claimTask({ actor: agent, ttlMs: 60_000 });
  if (!task) break;
  await store.completeTask({ actor: agent, id: task.id, token });
  completed.push(task.id);
}
await store.close();
process.stdout.write(`${JSON.stringify({ agent, completed })}\n`);
