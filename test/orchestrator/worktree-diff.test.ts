import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createWorktree } from "../../src/orchestrator/worktrees/create.js";
import { worktreeDiff } from "../../src/orchestrator/worktrees/worktree-diff.js";
import { git, tempDir, tempRepo } from "../helpers/temp-repo.js";
import { commit, thrown, write } from "./helpers.js";

/** A repository with one tracked file and an agent's worktree made as baton up makes it. */
async function withAgent(name = "alice"): Promise<{ repo: string; tree: string }> {
  const repo = tempRepo();
  write(repo, "app.ts", "export const a = 1;\n");
  git(repo, "add", "app.ts");
  commit(repo, "app");
  const { path } = await createWorktree(repo, name);
  return { repo, tree: path };
}

describe("worktreeDiff", () => {
  it("gives what the branch committed since the main checkout's HEAD, then what is not committed, new files included", async () => {
    const { repo, tree } = await withAgent();
    write(tree, "app.ts", "export const a = 2;\n");
    commit(tree, "a is 2", "-a");
    // The main checkout moves on: its own commits are not the agent's work.
    write(repo, "other.ts", "export const other = 1;\n");
    git(repo, "add", "other.ts");
    commit(repo, "other");
    write(tree, "app.ts", "export const a = 3;\n");
    write(tree, "src/new.ts", "export const b = 1;\n");

    const diff = await worktreeDiff(repo, "alice");
    expect(diff).toMatchObject({ agent: "alice", worktree: ".baton/worktrees/alice", cut: null });
    expect(diff.branch).toBe("refs/heads/baton/alice");
    expect(diff.committed).toContain("-export const a = 1;\n+export const a = 2;");
    expect(diff.committed).not.toContain("other.ts");
    expect(diff.uncommitted).toContain("-export const a = 2;\n+export const a = 3;");
    expect(diff.uncommitted).toContain("+++ b/src/new.ts");
  });

  it("cuts a diff past its cap at a line's end, saying so", async () => {
    const { repo, tree } = await withAgent();
    write(tree, "big.ts", `${"export const line = 'x';\n".repeat(200)}`);
    const diff = await worktreeDiff(repo, "alice", { maxBytes: 1000 });
    expect(diff.cut).toContain("cut at 1 kB");
    expect(Buffer.byteLength(diff.uncommitted)).toBeLessThanOrEqual(1000);
    expect(diff.uncommitted.endsWith("\n")).toBe(true);
  });

  it("names a new symlink but never shows what it points at", async () => {
    const { repo, tree } = await withAgent();
    const outside = tempDir();
    write(outside, "secret.txt", "the secret\n");
    symlinkSync(join(outside, "secret.txt"), join(tree, "link.txt"));
    symlinkSync(outside, join(tree, "folder"));
    const diff = await worktreeDiff(repo, "alice");
    expect(diff.untrackedNotShown).toContain("link.txt");
    expect(diff.uncommitted).not.toContain("the secret");
  });

  it("refuses a folder in .baton/worktrees that git does not know, a name that is no agent's, and an agent the team runs elsewhere", async () => {
    const { repo } = await withAgent();
    mkdirSync(join(repo, ".baton", "worktrees", "bob"), { recursive: true });
    expect((await thrown(() => worktreeDiff(repo, "bob"))).code).toBe("conflict");
    expect((await thrown(() => worktreeDiff(repo, "../../etc"))).code).toBe("invalid_input");
    expect((await thrown(() => worktreeDiff(repo, "carol"))).code).toBe("not_found");
    // alice in the team record works in the main checkout (--shared-tree): her worktree is not her work.
    write(
      repo,
      ".baton/team.json",
      JSON.stringify({
        version: 1,
        session: null,
        tmuxSocket: null,
        root: repo,
        createdAt: 1,
        agents: [
          {
            name: "alice",
            host: "sim",
            command: ["sim"],
            role: "dev",
            cwd: repo,
            branch: null,
            env: {},
            paneId: null,
            port: 4000,
            startedAt: 1,
            restarts: 0,
            stoppedAt: null,
          },
        ],
      }),
    );
    expect((await thrown(() => worktreeDiff(repo, "alice"))).code).toBe("outside_workspace");
  });
});
