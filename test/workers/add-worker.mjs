// Adds tasks one by one, printing each id once its write is acknowledged, until killed.
import { SqliteStore } from "../../dist/index.js";

const [dbPath] = process.argv.slice(2);
const store = new SqliteStore({ path: dbPath });
for (let i = 0; ; i++) {
  const task = await store.addTask({
    actor: "writer",
    prefix: "T",
    queue: "tasks",
    title: `task ${i}`,
    maxAttempts: 3,
  });
  process.stdout.write(`${task.id}\n`);
}
