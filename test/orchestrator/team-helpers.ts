import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach } from "vitest";
import { baton, tempDir } from "../helpers/temp-repo.js";

/**
 * What the team e2e files share: a tmux server of the test's own
 * (BATON_TMUX_SOCKET, killed after the test), waiting for what the agents do,
 * and reading the board and the log as a user would.
 */
const servers: string[] = [];
afterEach(() => {
  while (servers.length) spawnSync("tmux", ["-S", servers.pop()!, "kill-server"], { stdio: "ignore" });
});

export function tmuxSocket(): string {
  const socket = join(tempDir("baton-tmux-"), "sock");
  servers.push(socket);
  return socket;
}

export function tmux(socket: string, ...args: string[]): string {
  return execFileSync("tmux", ["-S", socket, ...args], { encoding: "utf8" }).trim();
}

export async function until<T>(what: string, look: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = look();
    if (seen !== undefined) return seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

export interface Task {
  id: string;
  status: string;
  holder: string | null;
  assignee?: string | null;
}

export function tasks(repo: string): Task[] {
  return baton(repo, ["task", "list", "--status", "all", "--json"]).json().tasks as Task[];
}

/** Who completed each task, from the log (a done task has no holder). */
export function completedBy(repo: string): Map<string, string> {
  const events = baton(repo, ["log", "--json", "--type", "task.completed"]).json().events as {
    actor: string;
    subject: string;
  }[];
  return new Map(events.map((e) => [e.subject, e.actor]));
}

export interface LoggedEvent {
  type: string;
  actor: string;
  summary: string;
  subject: string | null;
  data: Record<string, unknown>;
}

/** The log's events of a type (or a prefix ending in a dot), oldest first. */
export function events(repo: string, type: string): LoggedEvent[] {
  return baton(repo, ["log", "--json", "--type", type]).json().events as LoggedEvent[];
}

/** The team record as `baton up` wrote it. */
// biome-ignore lint/suspicious/noExplicitAny: tests read the record's JSON as it is on disk
export function teamRecord(repo: string): any {
  return JSON.parse(readFileSync(join(repo, ".baton", "team.json"), "utf8"));
}

/** Writes a config with just these keys (the rest take their defaults). */
export function writeConfig(repo: string, config: Record<string, unknown>): void {
  writeFileSync(join(repo, ".baton", "config.json"), `${JSON.stringify(config, null, 2)}\n`);
}

/** The windows of the team's session, by name. */
export function windowNames(socket: string, session: string): string[] {
  return tmux(socket, "list-windows", "-t", `=${session}`, "-F", "#{window_name}").split("\n");
}
