import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  HOST_VERSIONS,
  type HostRun,
  type HostRunOptions,
  hostBin,
  hostEnv,
  runHostProcess,
} from "../kit.js";

/** The key Claude Code sends to the fake model; its last 20 characters are pre-approved in `~/.claude.json`. */
const API_KEY = "sk-ant-dummy";

/**
 * The user's own Claude Code setup, done once by hand before baton is
 * connected: onboarding finished and the API key approved, so a headless run
 * neither prompts nor phones home. Baton's files come from `baton connect` only.
 */
export function setupHome(home: string): void {
  mkdirSync(join(home, ".claude"), { recursive: true });
  const claudeJson = {
    hasCompletedOnboarding: true,
    lastOnboardingVersion: HOST_VERSIONS.claude!.version,
    numStartups: 1,
    autoUpdates: false,
    customApiKeyResponses: { approved: [API_KEY.slice(-20)], rejected: [] },
  };
  writeFileSync(join(home, ".claude.json"), `${JSON.stringify(claudeJson, null, 2)}\n`);
}

export type ClaudeRun = HostRun;

export type RunOptions = HostRunOptions;

/**
 * `claude -p PROMPT --output-format stream-json --verbose ARGS` against the
 * fake model. The environment is kit's minimal one, never process.env: an
 * outer Claude Code's variables (IS_SANDBOX, CLAUDECODE, ...) must not leak in.
 */
export function runClaude(options: RunOptions): Promise<ClaudeRun> {
  const env = hostEnv(options.home, {
    ANTHROPIC_BASE_URL: options.baseUrl,
    ANTHROPIC_API_KEY: API_KEY,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    TMPDIR: process.env.TMPDIR ?? "/tmp",
    ...options.env,
  });
  const argv = ["-p", options.prompt, "--output-format", "stream-json", "--verbose", ...(options.args ?? [])];
  return runHostProcess(hostBin("claude"), argv, { cwd: options.cwd, env, timeoutMs: options.timeoutMs });
}
