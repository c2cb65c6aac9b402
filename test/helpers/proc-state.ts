import { readFileSync } from "node:fs";

/** A process's state letter from /proc (R, S, D, T stopped, t traced, Z zombie), or null when it is gone. */
export function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]!;
  } catch {
    return null;
  }
}

/** Polls `probe` every 25 ms until it returns true or `ms` pass; returns whether it did. */
export async function until(probe: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  for (;;) {
    if (probe()) return true;
    if (performance.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sends a signal to a test's process, which may be gone already. */
export function signal(pid: number | undefined, name: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, name);
  } catch {
    // gone
  }
}
