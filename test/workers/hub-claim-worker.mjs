// Claims and completes tasks through the hub serving dbPath until none is ready, carrying on
// when the hub goes away (the store then opens the file directly). Prints one JSON line:
// the claims and completions the store acknowledged, and the errors it raised.
import { connectHub, SqliteStore } from "../../dist/index.js";

const [dbPath, agent] = process.argv.slice(2);
const store = await connectHub(`sqlite:${dbPath}`, () => new SqliteStore({ path: dbPath }));
if (!store) throw new Error("no hub answered");
process.stdout.write("connected\n");
const claimed = [];
const completed = [];
const errors = [];
for (;;) {
  let task;
  let token;
  try {
    ({ task, token } = await store.claimTask({ actor: agent, ttlMs: 60_000 }));
  } catch (error) {
    errors.push({ op: "claimTask", code: error.code, message: error.message, hint: error.hint });
    continue;
  }
  if (!task) break;
  claimed.push({ id: task.id, token });
  try {
    await store.completeTask({ actor: agent, id: task.id, token });
    completed.push(task.id);
  } catch (error) {
    errors.push({ op: "completeTask", code: error.code, message: error.message, hint: error.hint });
  }
}
const direct = store.isDirect;
await store.close();
process.stdout.write(`${JSON.stringify({ agent, claimed, completed, errors, direct })}\n`);
