/**
 * Baseline: the lock-file scheme common in this field, modelled on
 * pi-agent-teams' task store. One JSON file per task. To claim the next task:
 * read every task file, take the first pending unowned one, lock it by
 * exclusive-create of `<task>.json.lock` (holding the pid; on EEXIST retry after
 * 50 ms doubling up to 1 s, jittered ×0.5-1.5), re-read it, write it back via a
 * temp file and rename, delete the lock. Kept only as a reference to measure
 * baton against; nothing in baton works this way.
 */
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readySteady } from "../lib/processes.mjs";

async function withLock(lockPath, fn) {
  for (let attempt = 1; ; attempt++) {
    try {
      const handle = await fs.open(lockPath, "wx");
      await handle.writeFile(JSON.stringify({ pid: process.pid, createdAt: new Date().toISOString() }));
      await handle.close();
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      const backoff = Math.min(1000, 50 * 2 ** Math.min(attempt, 6));
      await sleep(Math.max(1, Math.min(1000, Math.round(backoff * (0.5 + Math.random())))));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.unlink(lockPath).catch(() => {});
  }
}

async function readTask(file) {
  try {
    return JSON.parse(await fs.readFile(file, "utf8"));
  } catch {
    return null; // a file caught mid-rename reads as missing, as in the original
  }
}

async function claimNext(dir, agent) {
  const names = (await fs.readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  const tasks = [];
  for (const name of names) tasks.push([name, await readTask(join(dir, name))]);
  for (const [name, task] of tasks) {
    if (task?.status !== "pending" || task.owner) continue;
    const file = join(dir, name);
    const claimed = await withLock(`${file}.lock`, async () => {
      const current = await readTask(file);
      if (current?.status !== "pending" || current.owner) return false;
      const tmp = `${file}.tmp.${process.pid}.${Date.now()}`;
      await fs.writeFile(
        tmp,
        `${JSON.stringify({ ...current, owner: agent, status: "in_progress" }, null, 2)}\n`,
      );
      await fs.rename(tmp, file);
      return true;
    });
    if (claimed) return name;
  }
  return null;
}

const [dir, agent, ms] = process.argv.slice(2);
await readySteady();
const latencies = [];
const until = performance.now() + Number(ms);
while (performance.now() < until) {
  const t0 = performance.now();
  const got = await claimNext(dir, agent);
  if (!got) break;
  latencies.push(performance.now() - t0);
}
process.send({ agent, latencies }, () => process.exit(0));
