import { fork } from "node:child_process";

/**
 * Starts `count` worker processes, waits until each says "ready", releases them
 * all at once with "go", and collects each one's result message. The wall time
 * runs from "go" until the last result.
 */
export async function runWorkers(script, count, argsFor) {
  const children = Array.from({ length: count }, (_, i) =>
    fork(script, argsFor(i), { stdio: ["ignore", "inherit", "inherit", "ipc"] }),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve, reject) => {
          child.once("message", (m) => (m === "ready" ? resolve() : reject(new Error(`unexpected ${m}`))));
          child.once("exit", (code) => reject(new Error(`worker exited early (${code})`)));
        }),
    ),
  );
  // A worker that dies before reporting (a thrown error, a hub gone) stops the bench instead of hanging it.
  const results = children.map(
    (child, i) =>
      new Promise((resolve, reject) => {
        child.once("message", resolve);
        // "close", not "exit": it comes after the IPC channel has delivered everything the worker sent.
        child.once("close", (code, signal) =>
          reject(new Error(`worker ${i} of ${script} exited (${code ?? signal}) before reporting`)),
        );
      }),
  );
  for (const result of results)
    result.catch(() => {
      for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    });
  const started = performance.now();
  for (const child of children) child.send("go");
  const collected = await Promise.all(
    results.map((p) => p.then((r) => ({ ...r, finishedAt: performance.now() }))),
  );
  const wallMs = Math.max(...collected.map((r) => r.finishedAt)) - started;
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve))),
    ),
  );
  return { results: collected, wallMs };
}

/** In a worker: say ready, wait for go. */
export function readySteady() {
  return new Promise((resolve) => {
    process.once("message", (m) => m === "go" && resolve());
    process.send("ready");
  });
}
