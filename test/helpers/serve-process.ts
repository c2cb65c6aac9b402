import { afterEach } from "vitest";
import { batonInBackground, tempRepo } from "./temp-repo.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

export interface Served {
  repo: string;
  /** http://127.0.0.1:PORT */
  base: string;
  /** The one-time link serve printed. */
  pairLink: string;
  /** Everything serve printed on stderr so far. */
  stderr(): string;
}

/**
 * `baton serve --port 0` in `repo` (a fresh one naming lea a human unless
 * given), as a user runs it, until it prints its pairing link; stopped with
 * SIGTERM after the test.
 */
export async function serve(
  repo = tempRepo({ humans: ["lea"] }),
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<Served> {
  const hub = batonInBackground(repo, ["serve", "--port", "0", ...args], { BATON_HUB: undefined, ...env });
  stops.push(async () => {
    hub.child.kill("SIGTERM");
    await hub.done;
  });
  let stderr = "";
  hub.child.stderr!.on("data", (chunk) => {
    stderr += chunk;
  });
  for (let i = 0; i < 800 && !/\/pair#bp_\S+/.test(stderr); i++) await new Promise((r) => setTimeout(r, 25));
  const pairLink = /(http:\/\/\S+\/pair#bp_\S+)/.exec(stderr)?.[1];
  if (!pairLink) throw new Error(`baton serve printed no pairing link:\n${stderr}`);
  return { repo, base: new URL(pairLink).origin, pairLink, stderr: () => stderr };
}
