/**
 * BullMQ's Worker, concurrency 1, over no-op jobs added beforehand, until the
 * queue is drained. BullMQ fuses the two round trips baton makes: completing a
 * job (moveToFinished) also fetches the next one. So what is timed per job is
 * one turn of the worker's loop, from the processor being handed job k to it
 * being handed job k+1 (complete k + claim k+1, what baton's claim → complete
 * pair costs per task); the last job's turn ends at its "completed" event.
 * Reports every job id processed, for the exactly-once check.
 */
import { Worker } from "bullmq";
import { readySteady } from "../lib/processes.mjs";

const [url, prefix, queue, agent] = process.argv.slice(2);
const latencies = [];
const ids = [];
let last = 0;
let finish;
const finished = new Promise((resolve) => {
  finish = resolve;
});

const worker = new Worker(
  queue,
  async (job) => {
    const now = performance.now();
    if (ids.length > 0) latencies.push(now - last);
    last = now;
    ids.push(job.id);
  },
  { connection: { url }, prefix, concurrency: 1, autorun: false },
);
worker.on("error", (error) => {
  console.error(`bullmq worker ${agent}: ${error.stack ?? error}`);
  process.exit(1);
});
worker.on("failed", (job, error) => {
  console.error(`bullmq job ${job?.id} failed in ${agent}: ${error.stack ?? error}`);
  process.exit(1);
});
let completedAt = 0;
worker.on("completed", () => {
  completedAt = performance.now();
});
// "drained": the queue had no waiting job when the worker asked, and every job was added beforehand.
worker.on("drained", () => finish());
await worker.waitUntilReady();
await readySteady();
const running = worker.run();
await finished;
await worker.close();
await running;
if (ids.length > 0) latencies.push(completedAt - last);
process.send({ agent, latencies, ids }, () => process.exit(0));
