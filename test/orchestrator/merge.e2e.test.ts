import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, git, tempDir, tempRepo } from "../helpers/temp-repo.js";
import { commit, write } from "./helpers.js";

const tree = (repo: string, name: string) => join(repo, ".baton/worktrees", name);

/** A repository with a committer (merges make commits) and a worktree on baton/NAME for each agent. */
function team(...names: string[]): string {
  const repo = tempRepo();
  git(repo, "config", "user.email", "t@example.com");
  git(repo, "config", "user.name", "t");
  write(repo, "shared.txt", "one\ntwo\nthree\n");
  git(repo, "add", "shared.txt");
  commit(repo, "shared");
  for (const name of names) git(repo, "worktree", "add", "-q", tree(repo, name), "-b", `baton/${name}`);
  return repo;
}

/** An agent's commit of one file, in its worktree. */
function work(repo: string, name: string, path: string, text: string): string {
  write(tree(repo, name), path, text);
  git(tree(repo, name), "add", path);
  return commit(tree(repo, name), `${name}: ${path}`);
}

/** What must not change when a merge is refused, conflicts or is only tried. */
function state(repo: string) {
  return {
    main: git(repo, "rev-parse", "refs/heads/main"),
    head: git(repo, "rev-parse", "HEAD"),
    status: git(repo, "status", "--porcelain", "--untracked-files=all"),
    worktrees: git(repo, "worktree", "list", "--porcelain"),
    branches: git(repo, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/"),
  };
}

describe("baton merge", () => {
  it("merges two agents' branches in turn, a merge commit each, and updates the clean main checkout", () => {
    const repo = team("alice", "bob");
    const a = work(repo, "alice", "a.txt", "alice\n");
    const b = work(repo, "bob", "b.txt", "bob\n");
    const before = git(repo, "rev-parse", "main");
    const status = git(repo, "status", "--porcelain");
    const result = baton(repo, ["merge", "alice", "bob", "--json"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const doc = result.json();
    expect(doc.steps.map((s: { name: string; outcome: string }) => [s.name, s.outcome])).toEqual([
      ["alice", "merged"],
      ["bob", "merged"],
    ]);
    expect(doc).toMatchObject({ target: "main", before, moved: true, checkoutUpdated: true, conflict: null });
    const after = git(repo, "rev-parse", "main");
    expect(doc.after).toBe(after);
    // bob's merge on top of alice's, alice's on top of the old main.
    expect(git(repo, "rev-list", "--parents", "-n", "1", "main").split(" ")).toEqual([
      after,
      doc.steps[0].commit,
      b,
    ]);
    expect(git(repo, "rev-list", "--parents", "-n", "1", doc.steps[0].commit).split(" ")).toEqual([
      doc.steps[0].commit,
      before,
      a,
    ]);
    expect(readFileSync(join(repo, "a.txt"), "utf8")).toBe("alice\n");
    expect(readFileSync(join(repo, "b.txt"), "utf8")).toBe("bob\n");
    expect(git(repo, "status", "--porcelain")).toBe(status);
    expect(existsSync(join(repo, ".baton/merging"))).toBe(false);
    expect(git(repo, "worktree", "list").split("\n")).toHaveLength(3);
  });

  it("stops at a conflict, names the files and both agents (by commit and by lease), and changes nothing", () => {
    const repo = team("alice", "bob", "carol");
    work(repo, "alice", "shared.txt", "one\nALICE\nthree\n");
    work(repo, "alice", "a.txt", "alice\n");
    work(repo, "bob", "shared.txt", "one\nBOB\nthree\n");
    work(repo, "carol", "c.txt", "carol\n");
    expect(baton(repo, ["--as", "bob", "lock", "shared.txt"]).code).toBe(0);
    expect(baton(repo, ["--as", "bob", "unlock", "shared.txt"]).code).toBe(0); // the log still says bob leased it
    const before = state(repo);
    const result = baton(repo, ["merge", "alice", "bob", "carol", "--json"]);
    expect(result.code, result.stderr).toBe(3);
    const doc = result.json();
    expect(doc.steps.map((s: { name: string; outcome: string }) => [s.name, s.outcome])).toEqual([
      ["alice", "would merge"],
      ["bob", "conflict"],
      ["carol", "not tried"],
    ]);
    expect(doc.moved).toBe(false);
    expect(doc.after).toBe(before.main);
    expect(doc.conflict).toEqual({
      agent: "bob",
      files: [
        {
          path: "shared.txt",
          target: false,
          agents: [
            { name: "alice", how: ["committed"] },
            { name: "bob", how: ["committed", "leased"], leases: ["shared.txt"] },
          ],
        },
      ],
    });
    expect(doc.hint).toContain("git -C .baton/worktrees/bob merge main");
    expect(doc.hint).toContain("baton merge alice carol");
    expect(state(repo)).toEqual(before);
    expect(existsSync(join(repo, "a.txt"))).toBe(false);
    expect(existsSync(join(repo, ".baton/merging"))).toBe(false);
  });

  it("--dry-run runs the train and changes nothing", () => {
    const repo = team("alice", "bob");
    work(repo, "alice", "a.txt", "alice\n");
    work(repo, "bob", "b.txt", "bob\n");
    const before = state(repo);
    const result = baton(repo, ["--dry-run", "merge", "--all", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const doc = result.json();
    expect(doc.steps.map((s: { outcome: string }) => s.outcome)).toEqual(["would merge", "would merge"]);
    expect(doc).toMatchObject({ moved: false, dryRun: true, after: before.main });
    expect(state(repo)).toEqual(before);
  });

  it("--rebase replays the agents' commits on the target and fast-forwards it; their branches stay", () => {
    const repo = team("alice", "bob");
    const a = work(repo, "alice", "a.txt", "alice\n");
    work(repo, "bob", "b.txt", "bob\n");
    write(repo, "main.txt", "moved on\n");
    git(repo, "add", "main.txt");
    const moved = commit(repo, "main moved on");
    const result = baton(repo, ["merge", "alice", "bob", "--rebase", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ strategy: "rebase", moved: true });
    expect(git(repo, "rev-list", "--merges", "main")).toBe("");
    expect(git(repo, "log", "--format=%s", `${moved}..main`).split("\n")).toEqual([
      "bob: b.txt",
      "alice: a.txt",
    ]);
    expect(git(repo, "rev-parse", "baton/alice")).toBe(a);
    expect(readFileSync(join(repo, "b.txt"), "utf8")).toBe("bob\n");
    // Merged once, its commits are on the target: a second train has nothing to do.
    const again = baton(repo, ["merge", "alice", "--rebase", "--json"]);
    expect(again.json().steps[0].outcome).toBe("nothing to merge");
    expect(again.json().moved).toBe(false);
  });

  it("a --rebase conflict stops with its own advice and changes nothing", () => {
    const repo = team("alice");
    work(repo, "alice", "shared.txt", "one\nALICE\nthree\n");
    write(repo, "shared.txt", "one\nMAIN\nthree\n");
    commit(repo, "main edits shared", "-a");
    const before = state(repo);
    const result = baton(repo, ["merge", "alice", "--rebase", "--json"]);
    expect(result.code).toBe(3);
    const doc = result.json();
    expect(doc.conflict.files).toEqual([
      { path: "shared.txt", target: true, agents: [{ name: "alice", how: ["committed"] }] },
    ]);
    expect(doc.hint).toContain("without --rebase");
    expect(state(repo)).toEqual(before);
  });

  it("refuses a target checked out in another worktree, saying where", () => {
    const repo = team("alice");
    work(repo, "alice", "a.txt", "alice\n");
    const elsewhere = join(tempDir(), "release");
    git(repo, "worktree", "add", "-q", elsewhere, "-b", "release");
    const before = git(repo, "rev-parse", "release");
    const result = baton(repo, ["merge", "alice", "--into", "release", "--json"]);
    expect(result.code).toBe(3);
    const error = result.json().error;
    expect(error.code).toBe("conflict");
    expect(error.message).toContain(elsewhere);
    expect(error.hint).toContain(`git -C ${elsewhere} switch --detach`);
    expect(git(repo, "rev-parse", "release")).toBe(before);
  });

  it("merges into a branch checked out nowhere without touching the main checkout", () => {
    const repo = team("alice");
    work(repo, "alice", "a.txt", "alice\n");
    git(repo, "branch", "release");
    const main = git(repo, "rev-parse", "main");
    const result = baton(repo, ["merge", "alice", "--into", "release", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ target: "release", moved: true, checkoutUpdated: false });
    expect(git(repo, "show", "release:a.txt")).toBe("alice");
    expect(git(repo, "rev-parse", "main")).toBe(main);
    expect(existsSync(join(repo, "a.txt"))).toBe(false);
  });

  it("refuses a dirty main checkout, says nothing-to-merge, warns of uncommitted work, and names unknown agents", () => {
    const repo = team("alice", "bob");
    work(repo, "alice", "a.txt", "alice\n");
    write(tree(repo, "alice"), "draft.txt", "not committed\n");
    write(repo, "shared.txt", "a person's edit\n");
    const before = state(repo);
    const dirty = baton(repo, ["merge", "alice", "--json"]);
    expect(dirty.code).toBe(3);
    expect(dirty.json().error.message).toContain("shared.txt");
    expect(dirty.json().error.hint).toContain("git stash");
    expect(state(repo)).toEqual(before);

    git(repo, "checkout", "-q", "shared.txt");
    const result = baton(repo, ["merge", "alice", "bob", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const doc = result.json();
    expect(doc.steps.map((s: { outcome: string }) => s.outcome)).toEqual(["merged", "nothing to merge"]);
    expect(doc.steps[0].uncommitted).toEqual(["draft.txt"]);
    expect(doc.warnings.join("\n")).toMatch(/alice has 1 uncommitted.*baton cleanup alice/);
    expect(existsSync(join(repo, "draft.txt"))).toBe(false);

    const unknown = baton(repo, ["merge", "zed", "--json"]);
    expect(unknown.code).toBe(4);
    expect(unknown.json().error.hint).toContain("alice, bob");
  });
});

describe("baton conflicts", () => {
  it("finds a file changed by two agents (committed and uncommitted), a leased file, and the target's own changes", () => {
    const repo = team("alice", "bob", "carol");
    work(repo, "alice", "shared.txt", "one\nALICE\nthree\n");
    write(tree(repo, "bob"), "shared.txt", "one\nBOB\nthree\n"); // not committed
    work(repo, "alice", "docs/guide.md", "alice's guide\n");
    expect(baton(repo, ["--as", "carol", "lock", "docs/guide.md"]).code).toBe(0);
    work(repo, "carol", "main-too.txt", "carol\n");
    write(repo, "main-too.txt", "main\n");
    git(repo, "add", "main-too.txt");
    commit(repo, "main adds a file carol adds too");
    const before = state(repo);
    const result = baton(repo, ["conflicts", "--json"]);
    expect(result.code, result.stderr).toBe(3);
    const doc = result.json();
    expect(doc.overlaps).toEqual([
      {
        path: "docs/guide.md",
        agents: [
          { name: "alice", how: ["committed"] },
          { name: "carol", how: ["leased"], leases: ["docs/guide.md"] },
        ],
      },
      {
        path: "shared.txt",
        agents: [
          { name: "alice", how: ["committed"] },
          { name: "bob", how: ["uncommitted"] },
        ],
      },
    ]);
    expect(doc.targetOverlaps).toEqual([{ agent: "carol", files: ["main-too.txt"] }]);
    expect(state(repo)).toEqual(before);
  });

  it("exits 0 when the agents' work is disjoint", () => {
    const repo = team("alice", "bob");
    work(repo, "alice", "a.txt", "alice\n");
    write(tree(repo, "bob"), "b.txt", "bob\n");
    const result = baton(repo, ["conflicts", "--json"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ overlaps: [], targetOverlaps: [] });
    expect(result.json().agents.map((a: { name: string }) => a.name)).toEqual(["alice", "bob"]);
  });
});
