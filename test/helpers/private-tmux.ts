import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach } from "vitest";
import { Tmux } from "../../src/orchestrator/tmux/tmux.js";

const started: { tmux: Tmux; dir: string }[] = [];

/**
 * Stops each test's tmux server, then removes its folder: in that order, since a server whose
 * socket file is gone can no longer be told to stop.
 */
afterEach(async () => {
  while (started.length) {
    const { tmux, dir } = started.pop()!;
    await tmux.killServer();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A Tmux on a server of the test's own (a socket in a temp folder, no ~/.tmux.conf), stopped after the test. */
export function privateTmux(): Tmux {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "baton-tmux-")));
  const tmux = new Tmux({ socket: join(dir, "tmux.sock"), config: "/dev/null" });
  started.push({ tmux, dir });
  return tmux;
}

/** Waits for a file a worker writes whole (temp file, then rename), and reads it. */
export async function waitForFile(path: string, timeoutMs = 15_000): Promise<Buffer> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} never appeared`);
    await sleep(20);
  }
  return readFileSync(path);
}
