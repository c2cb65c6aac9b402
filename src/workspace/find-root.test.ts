import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git, tempDir, tempRepo } from "../../test/helpers/temp-repo.js";
import { BatonError } from "../errors.js";
import { findRepositoryRoot, findTree } from "./find-root.js";

describe("findRepositoryRoot", () => {
  it("finds the main root from a subfolder and from a linked worktree, as git does", () => {
    const repo = tempRepo({ init: false });
    mkdirSync(join(repo, "a", "b"), { recursive: true });
    expect(findRepositoryRoot(join(repo, "a", "b"))).toBe(repo);
    const worktree = join(tempDir(), "wt");
    git(repo, "worktree", "add", "-q", "-b", "side", worktree);
    mkdirSync(join(worktree, "deep"));
    expect(findRepositoryRoot(join(worktree, "deep"))).toBe(repo);
    expect(git(worktree, "rev-parse", "--path-format=absolute", "--git-common-dir")).toBe(join(repo, ".git"));
  });

  it("tells the tree apart from the hub: a linked worktree's root and git dir, the shared common dir", () => {
    const repo = tempRepo({ init: false });
    const worktree = join(tempDir(), "wt");
    git(repo, "worktree", "add", "-q", "-b", "side", worktree);
    mkdirSync(join(worktree, "a", "b"), { recursive: true });
    const tree = findTree(join(worktree, "a", "b"));
    expect(tree).toEqual({
      root: worktree,
      gitDir: join(repo, ".git", "worktrees", "wt"),
      commonDir: join(repo, ".git"),
    });
    expect(findTree(repo)).toEqual({ root: repo, gitDir: join(repo, ".git"), commonDir: join(repo, ".git") });
    // The same answer from git itself, when the layout is read through GIT_DIR.
    process.env.GIT_DIR = join(repo, ".git", "worktrees", "wt");
    try {
      expect(findTree(worktree).commonDir).toBe(join(repo, ".git"));
    } finally {
      delete process.env.GIT_DIR;
    }
  });

  it("puts a submodule's hub and a --separate-git-dir repository's hub in their work tree, not in the git dir", () => {
    const outer = tempRepo({ init: false });
    const inner = tempRepo({ init: false });
    git(outer, "-c", "protocol.file.allow=always", "submodule", "add", "-q", inner, "sub");
    expect(findRepositoryRoot(join(outer, "sub"))).toBe(join(outer, "sub"));
    const work = join(tempDir(), "work");
    const store = join(tempDir(), "store.git");
    git(tempDir(), "init", "-q", `--separate-git-dir=${store}`, work);
    expect(findRepositoryRoot(work)).toBe(work);
    expect(findTree(work).gitDir).toBe(store);
  });

  it("falls back to git for a .git file it cannot read, and refuses outside any repository", () => {
    const repo = tempRepo({ init: false });
    const odd = join(repo, "odd");
    mkdirSync(odd);
    writeFileSync(join(odd, ".git"), "not a gitdir line\n");
    expect(() => findRepositoryRoot(odd)).toThrow(BatonError);
    expect(() => findRepositoryRoot(tempDir())).toThrow(/not inside a git repository/);
  });
});
