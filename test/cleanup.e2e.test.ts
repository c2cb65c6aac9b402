import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createWorktree } from "../src/orchestrator/worktrees/create.js";
import { findTree } from "../src/workspace/find-root.js";
import { writeWorktreeAgent } from "../src/workspace/worktree-agent.js";
import { baton, git, tempDir, tempRepo } from "./helpers/temp-repo.js";

interface Item {
  name: string;
  outcome: string;
  reason?: string;
  wip?: { ref: string; dirty: boolean; restore: { worktree: string; here: string } };
  error?: { code: string; hint: string };
}

const byName = (items: Item[]) => Object.fromEntries(items.map((item) => [item.name, item]));
const worktree = (repo: string, name: string) => join(repo, ".baton/worktrees", name);

/**
 * A team's repository: alice at work (she just joined), bob gone with his work
 * committed, carol gone with an untracked file, a worktree a person made
 * outside baton's folder, and a link in baton's folder to another repository.
 */
async function team() {
  const repo = tempRepo();
  for (const name of ["alice", "bob", "carol"]) await createWorktree(repo, name);
  expect(baton(repo, ["agent", "join", "alice"]).code).toBe(0);
  writeFileSync(join(worktree(repo, "carol"), "draft.txt"), "half done\n");
  const elsewhere = join(tempDir(), "elsewhere");
  git(repo, "worktree", "add", "-q", elsewhere, "-b", "mine");
  writeFileSync(join(elsewhere, "mine.txt"), "a person's work\n");
  const linked = tempDir();
  git(linked, "init", "-q");
  writeFileSync(join(linked, "precious.txt"), "keep\n");
  symlinkSync(linked, worktree(repo, "evil"));
  return { repo, elsewhere, linked };
}

describe("baton cleanup", () => {
  it("removes the worktrees of agents that are gone, keeps a live agent's, uncommitted work and links, and exits 3", async () => {
    const { repo, elsewhere, linked } = await team();
    const result = baton(repo, ["cleanup", "--json"]);
    expect(result.code, result.stderr).toBe(3);
    const doc = result.json();
    expect(doc.removed).toEqual(["bob"]);
    expect(doc.kept.sort()).toEqual(["alice", "carol", "evil"]);
    const items = byName(doc.worktrees);
    expect(items.alice).toMatchObject({ outcome: "kept", reason: "alive" });
    expect(items.carol).toMatchObject({ outcome: "kept", reason: "uncommitted" });
    expect(items.carol!.error!.hint).toContain("--force");
    expect(items.evil).toMatchObject({ outcome: "kept", reason: "outside_workspace" });
    expect(items.bob!.wip!.ref).toMatch(/^refs\/baton\/wip\/bob\/\d{8}T\d{6}Z$/);
    expect(existsSync(worktree(repo, "bob"))).toBe(false);
    expect(git(repo, "rev-parse", "--verify", "-q", "baton/bob")).not.toBe("");
    expect(readFileSync(join(worktree(repo, "carol"), "draft.txt"), "utf8")).toBe("half done\n");
    expect(existsSync(join(worktree(repo, "alice"), ".git"))).toBe(true);
    // Nothing outside .baton/worktrees was touched, nor what the link points at.
    expect(readFileSync(join(elsewhere, "mine.txt"), "utf8")).toBe("a person's work\n");
    expect(git(repo, "worktree", "list", "--porcelain")).toContain(elsewhere);
    expect(readdirSync(linked).sort()).toEqual([".git", "precious.txt"]);
  });

  it("--force removes uncommitted work after saving it, and its restore words bring it back; a live agent's stays", async () => {
    const { repo } = await team();
    const result = baton(repo, ["cleanup", "carol", "alice", "--force", "--json"]);
    expect(result.code).toBe(3);
    const items = byName(result.json().worktrees);
    expect(items.alice).toMatchObject({ outcome: "kept", reason: "alive" });
    expect(items.carol).toMatchObject({ outcome: "removed", wip: { dirty: true } });
    expect(existsSync(worktree(repo, "carol"))).toBe(false);
    const [, ...words] = items.carol!.wip!.restore.worktree.split(" ");
    git(repo, ...words);
    expect(readFileSync(join(worktree(repo, "carol-restored"), "draft.txt"), "utf8")).toBe("half done\n");
  });

  it("takes the agent recorded in the worktree as its agent too", async () => {
    const repo = tempRepo();
    const made = await createWorktree(repo, "helper");
    writeWorktreeAgent(findTree(made.path).gitDir, "alice");
    expect(baton(repo, ["agent", "join", "alice"]).code).toBe(0);
    const result = baton(repo, ["cleanup", "helper", "--json"]);
    expect(result.code).toBe(3);
    expect(result.json().worktrees[0]).toMatchObject({ name: "helper", reason: "alive" });
    expect(result.json().worktrees[0].error.message).toContain("alice: heard from");
  });

  it("removes the worktree of an agent that left", async () => {
    const repo = tempRepo();
    await createWorktree(repo, "dave");
    expect(baton(repo, ["agent", "join", "dave"]).code).toBe(0);
    expect(baton(repo, ["cleanup", "dave", "--json"]).code).toBe(3);
    expect(baton(repo, ["agent", "leave", "--as", "dave"]).code).toBe(0);
    const result = baton(repo, ["cleanup", "dave"]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(worktree(repo, "dave"))).toBe(false);
  });

  it("prints what it did with each worktree and how to restore it", async () => {
    const { repo } = await team();
    const result = baton(repo, ["cleanup"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(
      /alice {2}kept: alive\n {2}alice's agent looks alive \(heard from \d+m?s ago\)/,
    );
    expect(result.stdout).toContain(
      "carol  kept: uncommitted changes\n  carol's worktree has uncommitted changes (draft.txt)",
    );
    expect(result.stdout).toMatch(
      /bob {2}removed \.baton\/worktrees\/bob \(branch baton\/bob kept\)\n {2}work saved in refs\/baton\/wip\/bob\//,
    );
    expect(result.stdout).toMatch(
      /restore: git worktree add \.baton\/worktrees\/bob-restored refs\/baton\/wip\/bob\//,
    );
  });

  it("--dry-run says what would go and changes nothing", async () => {
    const { repo } = await team();
    const result = baton(repo, ["cleanup", "--dry-run", "--json"]);
    expect(result.code).toBe(3);
    expect(byName(result.json().worktrees).bob).toMatchObject({ outcome: "would remove" });
    expect(existsSync(worktree(repo, "bob"))).toBe(true);
    expect(git(repo, "for-each-ref", "refs/baton/")).toBe("");
  });

  it("refuses a NAME that is not one folder of .baton/worktrees, and says when there is nothing to clean", () => {
    const repo = tempRepo();
    mkdirSync(join(repo, "x"));
    const bad = baton(repo, ["cleanup", "../x", "--json"]);
    expect(bad.code).toBe(2);
    expect(bad.json().error.code).toBe("invalid_input");
    expect(existsSync(join(repo, "x"))).toBe(true);
    const none = baton(repo, ["cleanup"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain("no worktrees under .baton/worktrees");
    const missing = baton(repo, ["cleanup", "zed", "--json"]);
    expect(missing.code).toBe(4);
    expect(missing.json().worktrees[0]).toMatchObject({ outcome: "kept", reason: "not_found" });
  });
});
