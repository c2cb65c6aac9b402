import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

export const WORKERS = resolve(import.meta.dirname, "../workers");

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `node script args...` with argv (no shell), collecting its output. */
/**
 * Starts a worker script. With `ownGroup`, in a process group of its own inside
 * this session (perl's setpgrp, then exec: same pid), as a shell starts a job: a
 * Ctrl-Z (SIGTSTP) then stops it as it would at a terminal. In the test's own
 * group, when that group is orphaned (a CI job started in the background), the
 * kernel discards SIGTSTP for a process with no handler.
 */
export function startNode(
  script: string,
  args: string[],
  options: { ownGroup?: boolean } = {},
): { child: ChildProcess; done: Promise<Finished> } {
  const argv = [resolve(WORKERS, script), ...args];
  const child = options.ownGroup
    ? spawn(
        "perl",
        ["-e", 'setpgrp(0, 0); exec { $ARGV[0] } @ARGV or die "exec: $!"', process.execPath, ...argv],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      )
    : spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"] });
  return { child, done: finished(child) };
}

/** Collects a child's stdout and stderr; resolves when it has exited and its pipes are closed. */
export function finished(child: ChildProcess): Promise<Finished> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise<Finished>((resolveDone) => {
    child.on("close", (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
}

/** Resolves once the child has printed `pattern` on stdout. */
export function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolveWait, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        child.stdout!.off("data", onData);
        resolveWait();
      }
    };
    child.stdout!.on("data", onData);
    let errors = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on("close", () => reject(new Error(`process ended before printing ${pattern}: ${seen}${errors}`)));
  });
}
