// Claims the next task through the library with a short TTL, says so, then hangs until killed.
import { openWorkspace } from "../../dist/index.js";

const [repo, agent, ttlMs] = process.argv.slice(2);
const ws = await openWorkspace({ cwd: repo, as: agent });
const claim = await ws.tasks.claim(undefined, { ttlMs: Number(ttlMs) });
process.stdout.write(`claimed ${claim.task.id} token ${claim.token}\n`);
setInterval(() => {}, 1000);
