import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { baton, batonInBackground, type CliResult, tempDir, tempRepo } from "../../helpers/temp-repo.js";
import { hostBin, hostEnv } from "../kit.js";
import { type FakeModel, type Script, startFakeModel } from "./fake-model.js";
import { setupHome } from "./run-claude.js";

/** `baton work --agent claude` running the real Claude Code against a fake model, in a repository of its own. */
export interface WorkRun {
  repo: string;
  fake: FakeModel;
  child: ChildProcess;
  done: Promise<CliResult>;
}

/**
 * A repository whose human is lea, with `config` merged into its config and
 * one task; the worker started on it, the pinned `claude` first on PATH as
 * baton work finds a user's.
 */
export async function startClaudeWork(script: Script, config: Record<string, unknown>): Promise<WorkRun> {
  const repo = tempRepo();
  writeFileSync(
    join(repo, ".baton/config.json"),
    JSON.stringify({ humans: ["lea"], max_attempts: 1, ...config }),
  );
  expect(baton(repo, ["agent", "join", "lea", "--kind", "human"]).code).toBe(0);
  expect(baton(repo, ["task", "add", "make the file", "--as", "lea"]).code).toBe(0);
  const home = tempDir("baton-claude-home-");
  setupHome(home);
  const fake = await startFakeModel(script);
  const env = hostEnv(home, {
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: "sk-ant-dummy",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    TMPDIR: process.env.TMPDIR ?? "/tmp",
  });
  env.PATH = `${dirname(hostBin("claude"))}:${env.PATH}`;
  const { child, done } = batonInBackground(
    repo,
    ["work", "--agent", "claude", "--as", "worker", "--until-empty", "--json"],
    env,
  );
  return { repo, fake, child, done };
}
