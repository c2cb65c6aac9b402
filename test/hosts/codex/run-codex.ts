import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type HostRun, type HostRunOptions, hostBin, hostEnv, runHostProcess } from "../kit.js";

/**
 * Runs the real Codex CLI headless (`codex exec --json`) against the fake
 * model, with an isolated HOME whose `.codex/` is Codex's home ($CODEX_HOME).
 */

/** The env var Codex reads the fake provider's API key from. */
const KEY_ENV = "FAKE_MODEL_API_KEY";

const toml = (value: string) => JSON.stringify(value); // a JSON string is a valid TOML basic string

/** Codex's home inside an isolated HOME. */
export const codexHome = (home: string) => join(home, ".codex");

/** What `baton connect codex` and Codex itself need in their env: the isolated HOME and CODEX_HOME. */
export const codexEnv = (home: string) =>
  hostEnv(home, { CODEX_HOME: codexHome(home), [KEY_ENV]: "sk-fake" });

/**
 * The user's own Codex setup, written before `baton connect` (which merges its
 * hook trust into the same file): the fake provider, no approvals asked
 * (`exec` has nobody to ask), no update check, no retries against the fake.
 * `gpt-5.5` is a model Codex knows, so it offers its `apply_patch` tool. The
 * provider's base_url is given per run (runCodex), so two agents sharing this
 * HOME can each talk to their own fake model; or here, for a plain `codex exec`
 * as `baton work` runs it.
 */
export function setupHome(home: string, baseUrl?: string): void {
  mkdirSync(codexHome(home), { recursive: true });
  const lines = [
    'model = "gpt-5.5"',
    'model_provider = "fake"',
    'approval_policy = "never"',
    "check_for_update_on_startup = false",
    "",
    "[features]",
    "plugins = false",
    "",
    "[model_providers.fake]",
    'name = "fake"',
    'wire_api = "responses"',
    `env_key = ${toml(KEY_ENV)}`,
    "request_max_retries = 0",
    "stream_max_retries = 0",
    ...(baseUrl ? [`base_url = ${toml(baseUrl)}`] : []),
    "",
  ];
  writeFileSync(join(codexHome(home), "config.toml"), lines.join("\n"));
}

/**
 * What the user does by hand after connect (its "to do"): trust the project.
 * Trusting the main checkout covers its linked worktrees.
 */
export function trustProject(home: string, root: string): void {
  appendFileSync(
    join(codexHome(home), "config.toml"),
    `\n[projects.${toml(root)}]\ntrust_level = "trusted"\n`,
  );
}

export type CodexRun = HostRun;

export function runCodex(options: HostRunOptions): Promise<CodexRun> {
  const argv = [
    hostBin("codex"),
    "exec",
    "--json",
    "--skip-git-repo-check",
    "-c",
    `model_providers.fake.base_url=${toml(options.baseUrl)}`,
    ...(options.args ?? []),
    options.prompt,
  ];
  // The installed `codex` is a node script: run it with this node, not through a shell.
  return runHostProcess(process.execPath, argv, {
    cwd: options.cwd,
    env: { ...codexEnv(options.home), ...options.env },
    timeoutMs: options.timeoutMs,
  });
}
