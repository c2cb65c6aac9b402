import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createWorktree } from "../../src/orchestrator/worktrees/create.js";
import { listWip, saveWip } from "../../src/orchestrator/worktrees/wip.js";
import { findTree } from "../../src/workspace/find-root.js";
import { readWorktreeAgent } from "../../src/workspace/worktree-agent.js";
import { git, tempDir, tempRepo } from "../helpers/temp-repo.js";
import { commit, thrown, write } from "./helpers.js";

const AT = new Date(Date.UTC(2026, 10, 21, 22, 5, 1, 250));

/** A repository with one tracked file, `.env` and `config/local.json` ignored. */
function project(): string {
  const repo = tempRepo();
  write(repo, ".gitignore", ".env\nconfig/local.json\n*.secret\n");
  write(repo, "notes.txt", "committed\n");
  git(repo, "add", ".gitignore", "notes.txt");
  commit(repo, "project");
  return repo;
}

describe("createWorktree", () => {
  it("makes .baton/worktrees/NAME on baton/NAME from HEAD, records its agent, and keeps git's status of the main checkout clean of it", async () => {
    const repo = project();
    const head = git(repo, "rev-parse", "HEAD");
    const made = await createWorktree(repo, "alice");
    expect(made).toMatchObject({
      name: "alice",
      path: join(repo, ".baton/worktrees/alice"),
      branch: "baton/alice",
      how: "created",
      head,
    });
    expect(git(made.path, "symbolic-ref", "HEAD")).toBe("refs/heads/baton/alice");
    expect(readFileSync(join(made.path, "notes.txt"), "utf8")).toBe("committed\n");
    expect(readWorktreeAgent(findTree(made.path).gitDir)).toBe("alice");
    // Neither the worktree nor anything else of baton's shows as a change of the main checkout.
    git(repo, "add", ".baton");
    commit(repo, "baton files");
    expect(git(repo, "status", "--porcelain", "--untracked-files=all")).toBe("");
  });

  it("ignores .baton/worktrees through .git/info/exclude in a repository initialised before baton ignored it", async () => {
    const repo = project();
    writeFileSync(join(repo, ".baton/.gitignore"), "baton.db\n");
    git(repo, "add", ".baton");
    commit(repo, "old baton files");
    await createWorktree(repo, "alice");
    expect(git(repo, "status", "--porcelain", "--untracked-files=all")).toBe("");
    expect(readFileSync(join(repo, ".git/info/exclude"), "utf8")).toContain("/.baton/worktrees/\n");
    // The committed .gitignore is left as it was.
    expect(readFileSync(join(repo, ".baton/.gitignore"), "utf8")).toBe("baton.db\n");
  });

  it("starts a new branch from a given base, and refuses a base that names no commit", async () => {
    const repo = project();
    const first = git(repo, "rev-parse", "HEAD");
    write(repo, "later.txt", "x");
    git(repo, "add", "later.txt");
    commit(repo, "later");
    expect((await createWorktree(repo, "bob", { base: first })).head).toBe(first);
    const error = await thrown(() => createWorktree(repo, "carol", { base: "--output=/tmp/x" }));
    expect(error.code).toBe("invalid_input");
    expect(existsSync(join(repo, ".baton/worktrees/carol"))).toBe(false);
  });

  it("reuses the worktree, and checks out an existing branch as it is: its commits are never reset", async () => {
    const repo = project();
    const made = await createWorktree(repo, "alice");
    write(made.path, "work.txt", "agent's work\n");
    git(made.path, "add", "work.txt");
    const work = commit(made.path, "agent's commit");
    expect((await createWorktree(repo, "alice")).how).toBe("reused");
    // The folder gone (a removal), the branch stays: a new worktree checks it out, whatever the base.
    git(repo, "worktree", "remove", made.path);
    const again = await createWorktree(repo, "alice", { base: "main" });
    expect(again).toMatchObject({ how: "checked out", head: work, branch: "baton/alice" });
    expect(readFileSync(join(again.path, "work.txt"), "utf8")).toBe("agent's work\n");
    expect(git(repo, "rev-parse", "baton/alice")).toBe(work);
  });

  it("refuses a folder at the worktree's place that is not a worktree, leaving it as it is", async () => {
    const repo = project();
    write(repo, ".baton/worktrees/alice/mine.txt", "someone's");
    const error = await thrown(() => createWorktree(repo, "alice"));
    expect(error.code).toBe("conflict");
    expect(readFileSync(join(repo, ".baton/worktrees/alice/mine.txt"), "utf8")).toBe("someone's");
  });

  it("refuses names that are not one folder and one branch, before touching anything", async () => {
    const repo = project();
    for (const name of ["../x", "a..b", "x.lock", "x.", "a/b", "-x", ""]) {
      expect((await thrown(() => createWorktree(repo, name))).code, name).toBe("invalid_input");
    }
    expect(existsSync(join(repo, ".baton/worktrees"))).toBe(false);
    expect(git(repo, "branch", "--list", "baton/*")).toBe("");
  });

  it("refuses a .baton/worktrees that is a symlink, making nothing where it points", async () => {
    const repo = project();
    const elsewhere = tempDir();
    symlinkSync(elsewhere, join(repo, ".baton/worktrees"));
    expect((await thrown(() => createWorktree(repo, "alice"))).code).toBe("outside_workspace");
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("refuses to make worktrees from inside an agent's worktree", async () => {
    const repo = project();
    const made = await createWorktree(repo, "alice");
    expect((await thrown(() => createWorktree(made.path, "bob"))).code).toBe("invalid_input");
  });
});

describe(".worktreeinclude", () => {
  it("copies the untracked files it names, with their modes; never tracked ones, links, or baton's own files", async () => {
    const repo = project();
    write(
      repo,
      ".worktreeinclude",
      "# what an agent needs to run the project\n.env\nconfig/\n*.secret\nnotes.txt\n.baton/\n",
    );
    write(repo, ".env", "TOKEN=1\n", 0o600);
    write(repo, "config/local.json", "{}\n");
    write(repo, "config/run.sh", "#!/bin/sh\n", 0o755);
    write(repo, "notes.txt", "changed in the main checkout\n"); // tracked: the worktree has its own
    write(repo, "other.txt", "not named\n");
    const outside = join(tempDir(), "passwords");
    writeFileSync(outside, "secret\n");
    symlinkSync(outside, join(repo, "away.secret"));
    const made = await createWorktree(repo, "alice");
    expect(made.included.copied.sort()).toEqual([".env", "config/local.json", "config/run.sh"]);
    expect(made.included.skipped).toEqual([{ path: "away.secret", why: "a symlink: not followed" }]);
    expect(readFileSync(join(made.path, ".env"), "utf8")).toBe("TOKEN=1\n");
    expect(statSync(join(made.path, ".env")).mode & 0o777).toBe(0o600);
    expect(statSync(join(made.path, "config/run.sh")).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(made.path, "notes.txt"), "utf8")).toBe("committed\n");
    expect(existsSync(join(made.path, "other.txt"))).toBe(false);
    expect(existsSync(join(made.path, "away.secret"))).toBe(false);
    expect(existsSync(join(repo, ".baton/config.json"))).toBe(true);
    expect(existsSync(join(made.path, ".baton/config.json"))).toBe(false);
  });

  it("never overwrites a file already in the worktree, and never writes through a link among its folders", async () => {
    const repo = project();
    write(repo, ".worktreeinclude", ".env\nconfig/local.json\n");
    write(repo, ".env", "TOKEN=main\n");
    write(repo, "config/local.json", "{}\n");
    const made = await createWorktree(repo, "alice");
    writeFileSync(join(made.path, ".env"), "TOKEN=agent\n");
    // The agent made config a link out of the repository: the copy must not land there.
    rmSync(join(made.path, "config"), { recursive: true });
    const outside = tempDir();
    symlinkSync(outside, join(made.path, "config"));
    const again = await createWorktree(repo, "alice");
    expect(again.included.kept).toEqual([".env"]);
    expect(again.included.copied).toEqual([]);
    expect(again.included.skipped).toEqual([
      { path: "config/local.json", why: "config is a symlink in the worktree" },
    ]);
    expect(readFileSync(join(made.path, ".env"), "utf8")).toBe("TOKEN=agent\n");
    expect(readdirSync(outside)).toEqual([]);
  });

  it("refuses an include file that is a link", async () => {
    const repo = project();
    write(repo, "patterns", ".env\n");
    symlinkSync(join(repo, "patterns"), join(repo, ".worktreeinclude"));
    expect((await thrown(() => createWorktree(repo, "alice"))).code).toBe("not_found");
  });
});

describe("the setup command", () => {
  it("runs in the new worktree with the given environment, and not again once it succeeded", async () => {
    const repo = project();
    const script =
      "require('fs').appendFileSync('setup.log', process.env.GREETING + ' ' + process.cwd() + '\\n')";
    const setup = { argv: [process.execPath, "-e", script], env: { GREETING: "hello" } };
    const made = await createWorktree(repo, "alice", { setup });
    expect(made.setup).toBe("ran");
    expect(readFileSync(join(made.path, "setup.log"), "utf8")).toBe(`hello ${made.path}\n`);
    expect((await createWorktree(repo, "alice", { setup })).setup).toBe("done before");
    expect(readFileSync(join(made.path, "setup.log"), "utf8")).toBe(`hello ${made.path}\n`);
  });

  it("reports a failure with its exit code, the end of its output and a hint, keeps the worktree, and runs again next time", async () => {
    const repo = project();
    const fail = [
      process.execPath,
      "-e",
      "console.log('installing'); console.error('no space left'); process.exit(7)",
    ];
    const error = await thrown(() => createWorktree(repo, "alice", { setup: { argv: fail } }));
    expect(error.code).toBe("gate_failed");
    expect(error.message).toContain("exited with code 7");
    expect(error.message).toContain("no space left");
    expect(error.hint).toContain("run it yourself");
    expect(error.details).toMatchObject({ exitCode: 7 });
    expect(existsSync(join(repo, ".baton/worktrees/alice/notes.txt"))).toBe(true);
    const ok = [process.execPath, "-e", "require('fs').writeFileSync('ok', '')"];
    expect((await createWorktree(repo, "alice", { setup: { argv: ok } })).setup).toBe("ran");
  });
});

describe("saveWip and listWip", () => {
  /** A worktree with a staged, an unstaged, an untracked and an ignored change. */
  async function busyWorktree() {
    const repo = project();
    const made = await createWorktree(repo, "alice");
    write(made.path, "a.txt", "a1\n");
    write(made.path, "b.txt", "b1\n");
    git(made.path, "add", "a.txt", "b.txt");
    const head = commit(made.path, "a and b");
    write(made.path, "a.txt", "a2 staged\n");
    git(made.path, "add", "a.txt");
    write(made.path, "b.txt", "b2 unstaged\n");
    write(made.path, "c/new.txt", "c untracked\n");
    write(made.path, ".env", "ignored\n");
    return { repo, path: made.path, head };
  }

  it("saves HEAD, staged, unstaged and untracked files without touching the worktree, its index or its stash", async () => {
    const { repo, path, head } = await busyWorktree();
    const indexFile = git(path, "rev-parse", "--path-format=absolute", "--git-path", "index");
    const indexBefore = readFileSync(indexFile);
    const statusBefore = git(path, "status", "--porcelain", "--untracked-files=all");
    const saved = saveWip(repo, "alice", AT);
    expect(saved).toMatchObject({
      name: "alice",
      ref: "refs/baton/wip/alice/20261121T220501Z",
      dirty: true,
      head,
    });
    expect(git(repo, "rev-parse", saved.ref)).toBe(saved.commit);
    expect(readFileSync(indexFile).equals(indexBefore)).toBe(true);
    expect(git(path, "status", "--porcelain", "--untracked-files=all")).toBe(statusBefore);
    expect(git(path, "stash", "list")).toBe("");
    // The tree is the worktree as it was; its parents are HEAD and what was staged.
    expect(git(repo, "show", `${saved.commit}:a.txt`)).toBe("a2 staged");
    expect(git(repo, "show", `${saved.commit}:b.txt`)).toBe("b2 unstaged");
    expect(git(repo, "show", `${saved.commit}:c/new.txt`)).toBe("c untracked");
    expect(git(repo, "ls-tree", "--name-only", saved.commit)).not.toContain(".env");
    expect(git(repo, "rev-parse", `${saved.commit}^1`)).toBe(head);
    expect(git(repo, "show", `${saved.commit}^2:a.txt`)).toBe("a2 staged");
    expect(git(repo, "show", `${saved.commit}^2:b.txt`)).toBe("b1");
  });

  it("gives two saves in the same second two refs, listed in order, and a clean save the HEAD's tree", async () => {
    const repo = project();
    const { path } = await createWorktree(repo, "alice");
    const first = saveWip(repo, "alice", AT);
    const second = saveWip(repo, "alice", AT);
    expect(first.dirty).toBe(false);
    expect(git(repo, "rev-parse", `${first.commit}^{tree}`)).toBe(git(path, "rev-parse", "HEAD^{tree}"));
    expect(second.ref).toBe("refs/baton/wip/alice/20261121T220501Z-2");
    for (let i = 3; i <= 10; i++) saveWip(repo, "alice", AT);
    await createWorktree(repo, "bob");
    saveWip(repo, "bob", new Date(AT.getTime() - 60_000));
    const refs = listWip(repo).map((entry) => entry.ref);
    expect(refs).toEqual([
      ...["", "-2", "-3", "-4", "-5", "-6", "-7", "-8", "-9", "-10"].map(
        (n) => `refs/baton/wip/alice/20261121T220501Z${n}`,
      ),
      "refs/baton/wip/bob/20261121T220401Z",
    ]);
    expect(listWip(repo, "bob")).toEqual([
      expect.objectContaining({ name: "bob", stamp: "20261121T220401Z" }),
    ]);
  });

  it("restores: its words bring back the untracked file, the unstaged and the staged change", async () => {
    const { repo, path } = await busyWorktree();
    const saved = saveWip(repo, "alice", AT);
    // In a new worktree, as the words say, run from the repository's root.
    const [, ...words] = saved.restore.worktree.split(" ");
    git(repo, ...words);
    const restored = join(repo, ".baton/worktrees/alice-restored");
    expect(readFileSync(join(restored, "a.txt"), "utf8")).toBe("a2 staged\n");
    expect(readFileSync(join(restored, "b.txt"), "utf8")).toBe("b2 unstaged\n");
    expect(readFileSync(join(restored, "c/new.txt"), "utf8")).toBe("c untracked\n");
    // In place: the tree thrown back to its HEAD, then the words.
    git(path, "reset", "-q", "--hard");
    git(path, "clean", "-q", "-fd");
    expect(existsSync(join(path, "c/new.txt"))).toBe(false);
    const [, ...here] = saved.restore.here.split(" ");
    git(path, ...here);
    expect(readFileSync(join(path, "b.txt"), "utf8")).toBe("b2 unstaged\n");
    expect(readFileSync(join(path, "c/new.txt"), "utf8")).toBe("c untracked\n");
  });

  it("saves a worktree stopped in a merge conflict, markers and all, leaving the merge as it was", async () => {
    const repo = project();
    const { path } = await createWorktree(repo, "alice");
    write(path, "notes.txt", "alice's\n");
    const head = commit(path, "alice's notes", "-a");
    write(repo, "notes.txt", "main's\n");
    commit(repo, "main's notes", "-a");
    expect(() => git(path, "-c", "user.email=t@example.com", "-c", "user.name=t", "merge", "main")).toThrow();
    expect(git(path, "ls-files", "-u")).not.toBe("");
    const saved = saveWip(repo, "alice", AT);
    expect(saved.dirty).toBe(true);
    expect(git(repo, "show", `${saved.commit}:notes.txt`)).toContain("<<<<<<<");
    expect(git(repo, "rev-list", "--parents", "-n1", saved.commit)).toBe(`${saved.commit} ${head}`);
    expect(git(path, "ls-files", "-u")).not.toBe("");
  });

  it("refuses a name without a worktree, and one made elsewhere by hand", async () => {
    const repo = project();
    const elsewhere = join(tempDir(), "elsewhere");
    git(repo, "worktree", "add", "-q", elsewhere, "-b", "elsewhere");
    expect((await thrown(() => saveWip(repo, "elsewhere", AT))).code).toBe("not_found");
    expect((await thrown(() => saveWip(repo, "nobody", AT))).code).toBe("not_found");
    expect(lstatSync(elsewhere).isDirectory()).toBe(true);
    expect(git(repo, "for-each-ref", "refs/baton/")).toBe("");
  });
});
