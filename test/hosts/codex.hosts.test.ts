import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-repo.js";
import { type Action, type Script, startFakeModel } from "./codex/fake-model.js";
import { codexEnv, runCodex, setupHome, trustProject } from "./codex/run-codex.js";
import { as, connect, HOST_VERSIONS, teamRepo } from "./kit.js";

/**
 * The real Codex CLI, driven by a scripted fake model, set up only through
 * `baton connect codex` plus what its user does anyway (the provider, and
 * trusting the project: connect's "to do"). No bypass flags: the edit guard
 * runs because connect trusted its hooks by hash.
 */
const TIMEOUT = 240_000;
const ORIGINAL_A = "export const a = 1;\n";

/** Codex exposes baton's MCP tools under the server's namespace. */
const mcp = (tool: string, args: Record<string, unknown> = {}): Action => ({
  tool,
  args,
  namespace: "mcp__baton",
});
/** Codex's own edit tool: a freeform `apply_patch` taking the raw patch. */
const patch = (file: string, from: string, to: string): Action => ({
  tool: "apply_patch",
  input: `*** Begin Patch\n*** Update File: ${file}\n@@\n-${from}\n+${to}\n*** End Patch\n`,
});
/** A command through Codex's shell tool. */
const shell = (cmd: string): Action => ({ tool: "exec_command", args: { cmd } });

/** A fresh HOME with the user's Codex setup, then `baton connect codex` in each tree, then the trust. */
function connectedHome(repo: string, trees: [tree: string, agent: string][]): string {
  const home = tempDir("baton-codex-home-");
  setupHome(home);
  for (const [tree, agent] of trees) {
    const { notes } = connect("codex", tree, agent, codexEnv(home)).json();
    // Trusting the project is left to the user, and connect says how.
    expect(notes).toContainEqual(
      expect.objectContaining({ level: "todo", text: expect.stringContaining(`[projects."${repo}"]`) }),
    );
  }
  trustProject(home, repo);
  return home;
}

/** Plays `script` to Codex in `cwd`; returns the run and the fake model's record. */
async function play(cwd: string, home: string, script: Script) {
  const model = await startFakeModel(script);
  try {
    const run = await runCodex({ cwd, home, baseUrl: model.url, prompt: "Do the next baton task." });
    return { run, model };
  } finally {
    await model.close();
  }
}

const read = (path: string) => readFileSync(path, "utf8");

describe(`Codex CLI ${HOST_VERSIONS.codex!.version} (real host)`, () => {
  it(
    "(a) claims, locks, edits with apply_patch and completes a task",
    async () => {
      const { repo } = teamRepo();
      as("lead", repo, ["task", "add", "Bump a"]);
      const home = connectedHome(repo, [[repo, "codex-1"]]);

      const { run, model } = await play(repo, home, [
        [mcp("claim_task")],
        [mcp("lock_files", { paths: ["src/a.ts"] })],
        [patch("src/a.ts", "export const a = 1;", "export const a = 2;")],
        [mcp("complete_task", { result: "a bumped" })],
      ]);

      expect(run.code, run.stderr).toBe(0);
      expect(model.toolResults().map((r) => r.tool)).toEqual([
        "claim_task",
        "lock_files",
        "apply_patch",
        "complete_task",
      ]);
      expect(read(join(repo, "src/a.ts"))).toBe("export const a = 2;\n");
      const { task } = as("lead", repo, ["task", "show", "T-1", "--json"]).json();
      expect(task).toMatchObject({ status: "done", result: "a bumped" });
      // Who claimed and finished it: the name connect recorded for this tree.
      const actors = Object.fromEntries(
        task.history.map((h: { type: string; actor: string }) => [h.type, h.actor]),
      );
      expect(actors).toMatchObject({ "task.claimed": "codex-1", "task.completed": "codex-1" });
    },
    TIMEOUT,
  );

  it(
    "(b) refuses an edit to a file another agent holds, and tells the model why",
    async () => {
      const { repo } = teamRepo();
      const home = connectedHome(repo, [[repo, "codex-1"]]);
      as("other", repo, ["lock", "src/a.ts", "--intent", "refactor"]);

      const { run, model } = await play(repo, home, [
        [patch("src/a.ts", "export const a = 1;", "export const a = 2;")],
      ]);

      expect(run.code, run.stderr).toBe(0);
      expect(read(join(repo, "src/a.ts"))).toBe(ORIGINAL_A);
      const [result] = model.toolResults();
      expect(result?.tool).toBe("apply_patch");
      expect(result?.text).toContain("src/a.ts is locked by other (refactor)");
    },
    TIMEOUT,
  );

  it(
    "(c) two Codex agents in their own worktrees: one's lock refuses the other's edit of its own copy",
    async () => {
      const { repo, worktrees } = teamRepo(["wt-1", "wt-2"]);
      const wt1 = worktrees["wt-1"]!;
      const wt2 = worktrees["wt-2"]!;
      // One user, one HOME, two agents: connect runs in each worktree.
      const home = connectedHome(repo, [
        [wt1, "codex-1"],
        [wt2, "codex-2"],
      ]);

      // Agent 1 locks src/a.ts and edits it: its own lease lets it (the hook acts as wt-1's agent).
      const first = await play(wt1, home, [
        [mcp("lock_files", { paths: ["src/a.ts"] })],
        [patch("src/a.ts", "export const a = 1;", "export const a = 3;")],
      ]);
      expect(first.run.code, first.run.stderr).toBe(0);
      expect(read(join(wt1, "src/a.ts"))).toBe("export const a = 3;\n");
      const locks = as("lead", repo, ["locks", "--json"]).json();
      expect(locks.leases).toMatchObject([{ path: "src/a.ts", holder: "codex-1" }]);

      const second = await play(wt2, home, [
        [patch("src/a.ts", "export const a = 1;", "export const a = 2;")],
        [patch("src/b.ts", "export const b = 1;", "export const b = 2;")],
      ]);
      expect(second.run.code, second.run.stderr).toBe(0);
      expect(read(join(wt2, "src/a.ts"))).toBe(ORIGINAL_A);
      expect(read(join(wt2, "src/b.ts"))).toBe("export const b = 2;\n");
      const [refused, allowed] = second.model.toolResults();
      expect(refused?.text).toContain("src/a.ts is locked by codex-1");
      expect(allowed?.text).toContain("Success");
    },
    TIMEOUT,
  );

  it(
    "(d) refuses an edit through a symlinked folder",
    async () => {
      const { repo } = teamRepo();
      symlinkSync("src", join(repo, "alias"));
      const home = connectedHome(repo, [[repo, "codex-1"]]);
      as("other", repo, ["lock", "src/a.ts", "--intent", "refactor"]);

      const { run, model } = await play(repo, home, [
        [patch("alias/a.ts", "export const a = 1;", "export const a = 2;")],
      ]);

      expect(run.code, run.stderr).toBe(0);
      expect(read(join(repo, "src/a.ts"))).toBe(ORIGINAL_A);
      expect(model.toolResults()[0]?.text).toContain("src/a.ts is locked by other (refactor)");
    },
    TIMEOUT,
  );

  it(
    "(e) refuses edits made through the shell: an apply_patch heredoc and a redirection",
    async () => {
      const { repo } = teamRepo();
      const home = connectedHome(repo, [[repo, "codex-1"]]);
      as("other", repo, ["lock", "src/a.ts", "--intent", "refactor"]);
      const heredoc = (file: string, from: string, to: string) =>
        `apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: ${file}\n@@\n-${from}\n+${to}\n*** End Patch\nEOF\n`;

      const { run, model } = await play(repo, home, [
        [shell(heredoc("src/a.ts", "export const a = 1;", "export const a = 2;"))],
        [shell("echo x > src/a.ts")],
        // The same heredoc on a free file goes through: the shell is a real way to edit.
        [shell(heredoc("src/b.ts", "export const b = 1;", "export const b = 2;"))],
      ]);

      expect(run.code, run.stderr).toBe(0);
      expect(read(join(repo, "src/a.ts"))).toBe(ORIGINAL_A);
      expect(read(join(repo, "src/b.ts"))).toBe("export const b = 2;\n");
      const [viaPatch, viaRedirect, free] = model.toolResults();
      expect(viaPatch?.text).toContain("src/a.ts is locked by other (refactor)");
      expect(viaRedirect?.text).toContain("src/a.ts is locked by other (refactor)");
      expect(free?.text).not.toContain("locked by");
    },
    TIMEOUT,
  );
});
