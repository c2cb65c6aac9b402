import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { expect } from "vitest";
import {
  baton,
  batonInBackground,
  CLI,
  type CliResult,
  git,
  tempDir,
  tempRepo,
} from "../helpers/temp-repo.js";

/**
 * What every real-host test shares: the pinned hosts (installed by
 * scripts/install-test-hosts.mjs, never downloaded by a test), a `baton` on
 * PATH as a user who installed it would have, and a team repository with
 * linked worktrees. Each host's own runner and fake model live beside this file.
 */
const ROOT = resolve(import.meta.dirname, "../..");
export const HOST_VERSIONS = JSON.parse(readFileSync(join(ROOT, "test/hosts/hosts.json"), "utf8")) as Record<
  string,
  { package: string; version: string; bin: string }
>;

/** The installed host's executable; a missing host fails the test loudly, never skips it. */
export function hostBin(host: "claude" | "codex" | "gemini" | "pi" | "node24"): string {
  const spec = HOST_VERSIONS[host]!;
  const bin = join(ROOT, "node_modules/.cache/baton-hosts", host, "node_modules/.bin", spec.bin);
  if (!existsSync(bin)) {
    throw new Error(
      `${spec.package}@${spec.version} is not installed: run \`node scripts/install-test-hosts.mjs\` (npm test does)`,
    );
  }
  return bin;
}

let binDir: string | undefined;

/** A folder holding `baton` (this build's CLI), to put on the hosts' PATH. */
export function batonBinDir(): string {
  if (binDir && existsSync(join(binDir, "baton"))) return binDir;
  binDir = join(tempDir("baton-bin-"), "bin");
  mkdirSync(binDir);
  writeFileSync(join(binDir, "baton"), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  chmodSync(join(binDir, "baton"), 0o755);
  return binDir;
}

/** A minimal environment for a host: an isolated HOME, `baton` on PATH (unless told not to), no BATON_AGENT. */
export function hostEnv(
  home: string,
  extra: Record<string, string> = {},
  options: { batonOnPath?: boolean } = {},
): Record<string, string> {
  const path = [
    ...(options.batonOnPath === false ? [] : [batonBinDir()]),
    ...(process.env.PATH ?? "").split(":").filter((dir) => dir && !existsSync(join(dir, "baton"))),
  ].join(":");
  return { PATH: path, HOME: home, LANG: "C.UTF-8", TERM: "dumb", NO_COLOR: "1", ...extra };
}

export interface Team {
  /** The main checkout, where `.baton/` lives. */
  repo: string;
  /** Linked worktrees by name, each on branch `baton/<name>`. */
  worktrees: Record<string, string>;
}

/**
 * A repository with baton set up, a committed `src/a.ts` and `src/b.ts`, and
 * linked worktrees outside the main checkout, as a team that gives each agent
 * its own worktree has.
 */
export function teamRepo(worktreeNames: string[] = []): Team {
  const repo = tempRepo();
  mkdirSync(join(repo, "src", "deep"), { recursive: true });
  writeFileSync(join(repo, "src", "a.ts"), "export const a = 1;\n");
  writeFileSync(join(repo, "src", "b.ts"), "export const b = 1;\n");
  writeFileSync(join(repo, "src", "deep", "c.ts"), "export const c = 1;\n");
  git(repo, "add", "-A");
  git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "sources");
  const parent = tempDir("baton-worktrees-");
  const worktrees: Record<string, string> = {};
  for (const name of worktreeNames) {
    const path = join(parent, name);
    git(repo, "worktree", "add", "-q", "-b", `baton/${name}`, path);
    worktrees[name] = path;
  }
  return { repo, worktrees };
}

/** `baton connect HOST --as AGENT` in `cwd`, as the user would run it, with the host's HOME. */
export function connect(host: string, cwd: string, agent: string, env: Record<string, string>): CliResult {
  const result = baton(cwd, ["connect", host, "--as", agent, "--json"], env);
  if (result.code !== 0) throw new Error(`baton connect ${host} failed: ${result.stdout}${result.stderr}`);
  return result;
}

/** Runs baton as some agent from `cwd` (a teammate locking a file, the lead adding a task). */
export function as(agent: string, cwd: string, args: string[]): CliResult {
  return baton(cwd, [...args, "--as", agent]);
}

export interface HostRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The JSON lines of stdout (stream-json, --json, --mode json); other lines are left out. */
  events: Record<string, unknown>[];
}

/**
 * Runs a host to its end with an argv array (never a shell string), collecting
 * its output. It runs in a process group of its own, so a host still running
 * after `timeoutMs` is killed with everything it started (Codex's native binary,
 * MCP servers), and says so in stderr.
 */
export function runHostProcess(
  command: string,
  argv: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<HostRun> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolveRun) => {
    const child = spawn(command, argv, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      stderr += `\n[host] killed after ${timeoutMs} ms`;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, timeoutMs);
    const finish = (code: number | null) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr, events: jsonLines(stdout) });
    };
    child.on("error", (error) => {
      stderr += `\n[host] could not start ${command}: ${error.message}`;
      finish(-1);
    });
    child.on("close", finish);
  });
}

function jsonLines(text: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      // not an event line
    }
  }
  return events;
}

/** What every host runner takes: where to run, its HOME, the fake model's URL and the prompt. */
export interface HostRunOptions {
  cwd: string;
  home: string;
  /** The fake model's URL. */
  baseUrl: string;
  prompt: string;
  env?: Record<string, string>;
  /** Arguments after the host's own. */
  args?: string[];
  timeoutMs?: number;
}

/** A `baton work` running in the background against a fake model, whatever the host. */
export interface Working {
  done: Promise<CliResult>;
  fake: { close(): Promise<void> };
}

/** Polls `probe` every 100 ms for up to a minute; fails at once if the worker ends first. */
export async function whileWorking<T>(run: Working, what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const found = probe();
    if (found !== undefined) return found;
    const finished = await Promise.race([run.done, new Promise((r) => setTimeout(r, 100, undefined))]);
    if (finished) throw new Error(`the run ended before ${what}: ${JSON.stringify(finished)}`);
  }
  throw new Error(`no ${what} within a minute`);
}

/** The worker's result, with the fake model closed whatever happened. */
export async function finishWork(run: Working): Promise<CliResult> {
  try {
    return await run.done;
  } finally {
    await run.fake.close();
  }
}

/** The events of one type in the repository's log (`work.run`, `work.cap`), oldest first. */
export const eventsOf = (repo: string, type: string) =>
  baton(repo, ["log", "--type", type, "--json"]).json().events as {
    summary: string;
    data: Record<string, unknown>;
  }[];

/**
 * A repository with one task ("make the file", T-1), `config` merged into its config, a failed task
 * not retried; with `human`, lea joins as the human first (approvals need one to decide them).
 */
export function repoWithTask(
  config: Record<string, unknown> = {},
  options: { human?: boolean } = {},
): string {
  const repo = tempRepo();
  writeFileSync(
    join(repo, ".baton/config.json"),
    JSON.stringify({ humans: ["lea"], max_attempts: 1, ...config }),
  );
  if (options.human) expect(baton(repo, ["agent", "join", "lea", "--kind", "human"]).code).toBe(0);
  expect(baton(repo, ["task", "add", "make the file", "--as", "lea"]).code).toBe(0);
  return repo;
}

/** `baton work --agent HOST` in the background as `worker`, the pinned host first on PATH as a user's would be. */
export function startWork(
  repo: string,
  host: "claude" | "codex" | "gemini" | "pi",
  env: Record<string, string>,
  extra: string[] = [],
): { child: ChildProcess; done: Promise<CliResult> } {
  return batonInBackground(
    repo,
    ["work", "--agent", host, "--as", "worker", "--until-empty", "--json", ...extra],
    { ...env, PATH: `${dirname(hostBin(host))}:${env.PATH}` },
  );
}
