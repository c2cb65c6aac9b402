import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterEach } from "vitest";

const sessions: string[] = [];
afterEach(() => {
  while (sessions.length) {
    try {
      execFileSync("tmux", ["kill-session", "-t", sessions.pop()!], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
});

function tmux(...args: string[]): string {
  return execFileSync("tmux", args, { encoding: "utf8" });
}

/** A real terminal of the given size running `argv` (no shell string), ended after the test. */
export function terminal(
  argv: string[],
  options: { cwd: string; width: number; height: number; env: Record<string, string> },
) {
  const name = `baton-test-${randomBytes(4).toString("hex")}`;
  const env = Object.entries(options.env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  tmux(
    "new-session",
    "-d",
    "-s",
    name,
    "-x",
    String(options.width),
    "-y",
    String(options.height),
    "-c",
    options.cwd,
    ...env,
    ...argv,
  );
  tmux("set-option", "-t", name, "remain-on-exit", "on");
  sessions.push(name);
  return {
    /** What the screen shows, one string per row. */
    screen: () => tmux("capture-pane", "-p", "-t", name).split("\n"),
    /** Sends keys as typed text (`-l`: never interpreted as key names). */
    type: (text: string) => tmux("send-keys", "-t", name, "-l", text),
    key: (key: string) => tmux("send-keys", "-t", name, key),
    /** The program's exit status once it ended, else undefined. */
    exitStatus: () => {
      const [dead, status] = tmux("display-message", "-p", "-t", name, "#{pane_dead} #{pane_dead_status}")
        .trim()
        .split(" ");
      return dead === "1" ? Number(status) : undefined;
    },
  };
}

/** Polls `check` until it holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}
