import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, expect } from "vitest";
import { sleepSync } from "../../src/util/sleep.js";
import { initWorkspaceFiles } from "../../src/workspace/init.js";
import { finished } from "./processes.js";

export const CLI = resolve(import.meta.dirname, "../../dist/cli/baton.js");
export const DIST_INDEX = resolve(import.meta.dirname, "../../dist/index.js");

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A fresh temp directory, removed after the test. */
export function tempDir(prefix = "baton-test-"): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/**
 * A real git repository with one commit, optionally with baton initialised.
 * `humans`: the people the config names (as `baton init --human lea` would),
 * the only names that may join as a human, approve, answer and resolve.
 */
export function tempRepo(options: { init?: boolean; humans?: string[]; hub?: boolean } = {}): string {
  const dir = tempDir("baton-repo-");
  git(dir, "init", "-q", "-b", "main");
  git(
    dir,
    "-c",
    "user.email=t@example.com",
    "-c",
    "user.name=t",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "start",
  );
  if (options.init !== false) {
    initWorkspaceFiles(dir, { humans: options.humans });
    if (process.env.BATON_TEST_HUB === "1" && options.hub !== false) startTestHub(dir);
  }
  return dir;
}

/**
 * BATON_TEST_HUB=1 runs the suite again with a hub: every initialised repo gets
 * its own `baton serve`, which every command then goes through. The same
 * results, errors and exit codes are expected either way (issue 9).
 */
function startTestHub(repo: string): void {
  const log = join(tempDir("baton-hub-log-"), "serve.log");
  const stderr = openSync(log, "w");
  // Any free port: files run side by side, each repository with a hub of its own.
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0"], {
    cwd: repo,
    env: { ...process.env, HOME: testHome(), BATON_AGENT: undefined, BATON_STORE: undefined },
    stdio: ["ignore", "ignore", stderr],
  });
  closeSync(stderr);
  cleanups.push(() => {
    child.kill("SIGTERM");
  });
  const record = join(repo, ".baton", "hub.json");
  for (let waited = 0; !existsSync(record); waited += 10) {
    if (waited > 20_000)
      throw new Error(`baton serve did not start in ${repo}: ${readFileSync(log, "utf8")}`);
    sleepSync(10);
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON documents and assert on their shape
  json: () => any;
}

let home: string | undefined;
afterEach(() => {
  home = undefined;
});

/**
 * A home folder for the test's baton processes: `connect` writes host settings
 * there (~/.claude, ~/.codex, ~/.gemini), never into the real one.
 */
export function testHome(): string {
  home ??= tempDir("baton-home-");
  return home;
}

/** The environment of a CLI run by a test: an isolated HOME, no identity or store leaking in from outside. */
function cliEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    BATON_AGENT: undefined,
    BATON_STORE: undefined,
    CODEX_HOME: undefined,
    HOME: testHome(),
    NO_COLOR: "1",
    ...env,
  };
}

/** Runs the built CLI as a user would, with argv (never a shell string), in an isolated HOME. */
export function baton(cwd: string, args: string[], env: Record<string, string | undefined> = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: cliEnv(env) });
  return {
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    json: () => JSON.parse(result.stdout),
  };
}

/** Runs the built CLI in the background, as `baton` does; resolves when it exits. */
export function batonInBackground(
  cwd: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cliEnv(env) });
  const done = finished(child).then(({ code, stdout, stderr }) => ({
    code: code ?? -1,
    stdout,
    stderr,
    json: () => JSON.parse(stdout),
  }));
  return { child, done };
}

/** Runs the CLI in `repo` as an agent, and fails the test (with the command and its stderr) unless it succeeds. */
export function succeedsAs(repo: string): (agent: string, ...args: string[]) => CliResult {
  return (agent, ...args) => {
    const result = baton(repo, ["--as", agent, ...args]);
    expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
    return result;
  };
}
