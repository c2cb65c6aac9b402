// Runs inside `unshare --user --map-root-user --mount`: mounts a small tmpfs (a real
// file system with a real size limit) at argv[2], then plays the steps in argv[3]
// against it and prints what each did as one JSON document. The mount ends with
// this process's namespace; nothing on the machine changes.
//
// Steps: {"cli": [args...], "cwd"?: path} runs the built CLI; {"fill": true} fills
// the disk with a file until ENOSPC; {"unfill": true} removes that file;
// {"readOnly": true} remounts the disk read-only; {"background": [args...], "until": path}
// starts the CLI and leaves it running (stopped at the end) once `path` exists.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

const [dir, size, stepsJson, cli] = process.argv.slice(2);
const steps = JSON.parse(stepsJson);
execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]);
const filler = join(dir, "filler");
const results = [];
const background = [];
for (const step of steps) {
  if (step.cli) {
    const run = spawnSync(process.execPath, [cli, ...step.cli], {
      cwd: step.cwd ?? dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    results.push({ code: run.status, stdout: run.stdout, stderr: run.stderr });
  } else if (step.background) {
    background.push(spawn(process.execPath, [cli, ...step.background], { cwd: dir, stdio: "ignore" }));
    const started = Date.now();
    while (!existsSync(step.until) && Date.now() - started < 10_000)
      await new Promise((r) => setTimeout(r, 20));
    results.push({ background: existsSync(step.until) });
  } else if (step.fill) {
    const fd = openSync(filler, "w");
    const block = Buffer.alloc(4096, 1);
    let written = 0;
    try {
      for (;;) written += writeSync(fd, block);
    } catch (error) {
      results.push({ filled: written, error: error.code });
    } finally {
      closeSync(fd);
    }
  } else if (step.unfill) {
    rmSync(filler, { force: true });
    results.push({ unfilled: true });
  } else if (step.readOnly) {
    execFileSync("mount", ["-o", "remount,ro", dir]);
    results.push({ readOnly: true });
  }
}
for (const child of background) child.kill("SIGKILL");
process.stdout.write(JSON.stringify(results));
