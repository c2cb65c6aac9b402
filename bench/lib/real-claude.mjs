// The real Claude Code for the team benchmark: the pinned host the tests drive
// (scripts/install-test-hosts.mjs installs it), its fake model, and a HOME set up
// as a user who has onboarded and trusted the repository.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "rolldown";

const root = resolve(import.meta.dirname, "../..");
const API_KEY = "sk-ant-dummy";

/** A folder with `claude` in it (the pinned Claude Code), to put first on PATH. */
const hostSpec = () => JSON.parse(readFileSync(join(root, "test/hosts/hosts.json"), "utf8")).claude;

/** The pinned version, for the table. */
export const claudeVersion = () => hostSpec().version;

export function claudeOnPath(scratch) {
  const spec = hostSpec();
  const bin = join(root, "node_modules/.cache/baton-hosts/claude/node_modules/.bin", spec.bin);
  if (!existsSync(bin))
    throw new Error(
      `bench team: ${spec.package}@${spec.version} is not installed: run node scripts/install-test-hosts.mjs`,
    );
  const dir = join(scratch, "claude-bin");
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, "claude"))) symlinkSync(bin, join(dir, "claude"));
  return dir;
}

/**
 * The tests' fake Anthropic API (test/hosts/claude/fake-model.ts), bundled for
 * this Node by rolldown (baton's own bundler), so the benchmark and the tests
 * play the same server. Returns its startFakeModel.
 */
export async function claudeFakeModel(scratch) {
  const file = join(scratch, "claude-fake-model.mjs");
  if (!existsSync(file))
    await build({
      input: join(root, "test/hosts/claude/fake-model.ts"),
      platform: "node",
      logLevel: "warn",
      output: { file, format: "esm" },
    });
  return (await import(file)).startFakeModel;
}

/** `~/.claude.json` of a user who has onboarded, approved the API key and trusted `repo` (its worktrees with it). */
export function claudeHome(home, repo) {
  mkdirSync(join(home, ".claude"), { recursive: true });
  const config = {
    hasCompletedOnboarding: true,
    lastOnboardingVersion: hostSpec().version,
    numStartups: 1,
    autoUpdates: false,
    customApiKeyResponses: { approved: [API_KEY.slice(-20)], rejected: [] },
    projects: { [repo]: { hasTrustDialogAccepted: true } },
  };
  writeFileSync(join(home, ".claude.json"), JSON.stringify(config, null, 2));
}

/** What Claude Code needs in its environment to talk to the fake model at `url`. */
export function claudeEnv(url) {
  return {
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: API_KEY,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
  };
}
