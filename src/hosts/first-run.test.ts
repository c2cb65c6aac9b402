import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { firstRunQuestions } from "./first-run.js";

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A HOME, a repository root and its worktree under .baton/worktrees (paths only: nothing reads them). */
function place() {
  const home = realpathSync(mkdtempSync(join(tmpdir(), "baton-first-run-")));
  dirs.push(home);
  const root = join(home, "repo");
  return { home, root, cwd: join(root, ".baton", "worktrees", "claude-1") };
}

function write(path: string, text: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

describe("what a host asks the human before its session starts, from its own settings", () => {
  it("Claude Code: setup when never onboarded; the API key until answered; trust unless the repository or the worktree is trusted", () => {
    const { home, root, cwd } = place();
    const env = { HOME: home, ANTHROPIC_API_KEY: "sk-ant-0123456789abcdefghijklmnop" };
    expect(firstRunQuestions("claude", { root, cwd, env })).toEqual([
      "Claude Code's first-run setup (theme, sign-in)",
    ]);

    const config = { hasCompletedOnboarding: true, customApiKeyResponses: { approved: [], rejected: [] } };
    write(join(home, ".claude.json"), JSON.stringify(config));
    expect(firstRunQuestions("claude", { root, cwd, env })).toEqual([
      expect.stringContaining("whether to use the ANTHROPIC_API_KEY"),
      expect.stringContaining(`whether you trust ${cwd}`),
    ]);

    // The key's last 20 characters answered (either way), the repository trusted: nothing to ask.
    const key = env.ANTHROPIC_API_KEY.slice(-20);
    for (const answer of ["approved", "rejected"]) {
      const answered = {
        ...config,
        customApiKeyResponses: { approved: [], rejected: [], [answer]: [key] },
        projects: { [root]: { hasTrustDialogAccepted: true } },
      };
      write(join(home, ".claude.json"), JSON.stringify(answered));
      expect(firstRunQuestions("claude", { root, cwd, env })).toEqual([]);
    }
    // CLAUDE_CONFIG_DIR moves the file.
    const elsewhere = join(home, "cfg");
    write(join(elsewhere, ".claude.json"), JSON.stringify({ hasCompletedOnboarding: false }));
    expect(
      firstRunQuestions("claude", { root, cwd, env: { ...env, CLAUDE_CONFIG_DIR: elsewhere } }),
    ).toHaveLength(1);
  });

  it("Codex: sign-in with OpenAI's provider and no saved login; trust until the repository has a trust level", () => {
    const { home, root, cwd } = place();
    const env = { HOME: home };
    expect(firstRunQuestions("codex", { root, cwd, env })).toEqual([
      "Codex asks you to sign in",
      `Codex asks whether you trust ${root} (the repository of the worktree)`,
    ]);
    const codexHome = join(home, "codex-home");
    write(
      join(codexHome, "config.toml"),
      `model_provider = "mine"\n[projects."${root}"]\ntrust_level = "untrusted"\n`,
    );
    expect(firstRunQuestions("codex", { root, cwd, env: { ...env, CODEX_HOME: codexHome } })).toEqual([]);
  });

  it("Gemini CLI: trust unless a rule covers the worktree or folder trust is off; pi asks nothing", () => {
    const { home, root, cwd } = place();
    const env = { HOME: home };
    expect(firstRunQuestions("gemini", { root, cwd, env })).toEqual([
      `Gemini CLI asks whether you trust ${cwd}`,
    ]);
    write(join(home, ".gemini", "trustedFolders.json"), JSON.stringify({ [root]: "TRUST_FOLDER" }));
    expect(firstRunQuestions("gemini", { root, cwd, env })).toEqual([]);
    write(join(home, ".gemini", "trustedFolders.json"), "{}");
    write(
      join(home, ".gemini", "settings.json"),
      JSON.stringify({ security: { folderTrust: { enabled: false } } }),
    );
    expect(firstRunQuestions("gemini", { root, cwd, env })).toEqual([]);
    expect(firstRunQuestions("pi", { root, cwd, env })).toEqual([]);
    // A settings file that does not parse: baton predicts nothing (the host will say what is wrong).
    write(join(home, ".gemini", "settings.json"), "{ not json");
    expect(firstRunQuestions("gemini", { root, cwd, env })).toEqual([]);
  });
});
