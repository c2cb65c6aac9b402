/**
 * One shell agent of the demo: it only uses the baton CLI, as any agent would.
 * Loop: claim the next ready task, lock the file it will write, heartbeat,
 * "work", write the file, unlock, complete. With --crash-after-claim it
 * claims one task with a short TTL and dies without a word.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const [repo, name, mode] = process.argv.slice(2);
const cli = join(import.meta.dirname, "../dist/cli/baton.js");

function baton(...args) {
  const result = spawnSync(process.execPath, [cli, ...args, "--json"], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, BATON_AGENT: name, NO_COLOR: "1" },
  });
  return { code: result.status, body: result.stdout ? JSON.parse(result.stdout) : {} };
}

function say(text) {
  process.stdout.write(`${name.padEnd(8)} ${text}\n`);
}

baton("agent", "join", name, "--kind", "custom", "--role", "developer");
for (;;) {
  const claim = baton("task", "claim", ...(mode === "--crash-after-claim" ? ["--ttl", "2s"] : []));
  const task = claim.body.task;
  if (!task) {
    const waiting = baton("task", "list").body.tasks ?? [];
    if (waiting.length === 0) break;
    await sleep(250); // blocked tasks remain: wait for their dependencies
    continue;
  }
  say(`claimed ${task.id} "${task.title}" (token ${claim.body.token})`);
  if (mode === "--crash-after-claim") {
    say(`crashes while holding ${task.id} — its claim will expire in 2 s`);
    process.exit(137);
  }
  const file = `src/${task.id.toLowerCase()}.txt`;
  for (;;) {
    const lock = baton("lock", file, "src/shared.txt", "--intent", task.title);
    if (lock.code === 0) break;
    const [conflict] = lock.body.conflicts;
    say(`waits: ${conflict.path} is held by ${conflict.holder} (${conflict.intent})`);
    await sleep(200);
  }
  baton("heartbeat", "--working-on", `${task.id} ${task.title}`);
  await sleep(300);
  writeFileSync(join(repo, file), `${task.title}\ndone by ${name}\n`);
  baton("unlock", file, "src/shared.txt");
  const done = baton(
    "task",
    "done",
    task.id,
    "--token",
    String(claim.body.token),
    "--result",
    `wrote ${file}`,
  );
  say(done.code === 0 ? `completed ${task.id}` : `lost ${task.id}: ${done.body.error?.message}`);
}
baton("agent", "leave");
say("no work left, leaves");
