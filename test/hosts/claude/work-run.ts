import type { ChildProcess } from "node:child_process";
import { type CliResult, tempDir } from "../../helpers/temp-repo.js";
import { hostEnv, repoWithTask, startWork } from "../kit.js";
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
  const repo = repoWithTask(config, { human: true });
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
  const { child, done } = startWork(repo, "claude", env);
  return { repo, fake, child, done };
}
