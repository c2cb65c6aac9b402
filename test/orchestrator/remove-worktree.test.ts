import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createWorktree } from "../../src/orchestrator/worktrees/create.js";
import { planRemoval, removeWorktree } from "../../src/orchestrator/worktrees/remove.js";
import { git, tempDir, tempRepo } from "../helpers/temp-repo.js";
import { commit, thrown, write } from "./helpers.js";

const AT = new Date(Date.UTC(2026, 10, 21, 22, 5, 1));
const gone = { alive: false, at: AT };

async function withWorktree(name = "alice") {
  const repo = tempRepo();
  const made = await createWorktree(repo, name);
  write(made.path, "kept.txt", "committed\n");
  git(made.path, "add", "kept.txt");
  const head = commit(made.path, "work");
  return { repo, path: made.path, head };
}

describe("removeWorktree", () => {
  it("removes a clean worktree, keeps its branch, and still names its tip in a wip ref", async () => {
    const { repo, path, head } = await withWorktree();
    const removed = await removeWorktree(repo, "alice", gone);
    expect(removed).toMatchObject({ name: "alice", path, branch: "baton/alice", changes: [] });
    expect(removed.wip).toMatchObject({ ref: "refs/baton/wip/alice/20261121T220501Z", dirty: false, head });
    expect(existsSync(path)).toBe(false);
    expect(git(repo, "rev-parse", "baton/alice")).toBe(head);
    expect(git(repo, "rev-parse", `${removed.wip.ref}^1`)).toBe(head);
    expect(git(repo, "worktree", "list", "--porcelain")).not.toContain(path);
  });

  it("refuses uncommitted work without --force, naming the files, --force and the wip ref it would keep", async () => {
    const { repo, path } = await withWorktree();
    write(path, "kept.txt", "changed\n");
    write(path, "untracked.txt", "new\n");
    const error = await thrown(() => removeWorktree(repo, "alice", gone));
    expect(error.code).toBe("conflict");
    expect(error.message).toContain("kept.txt");
    expect(error.message).toContain("untracked.txt");
    expect(error.hint).toContain("--force");
    expect(error.hint).toContain("refs/baton/wip/alice/");
    expect(error.details).toMatchObject({ reason: "uncommitted" });
    expect(readFileSync(join(path, "untracked.txt"), "utf8")).toBe("new\n");
    expect(git(repo, "for-each-ref", "refs/baton/")).toBe("");
  });

  it("counts a staged change, but not an ignored file, as uncommitted work", async () => {
    const { repo, path } = await withWorktree();
    write(path, ".gitignore", "build/\n");
    git(path, "add", ".gitignore");
    commit(path, "ignore build");
    write(path, "build/out.js", "generated\n");
    expect(planRemoval(repo, "alice", gone).changes).toEqual([]);
    write(path, "staged.txt", "staged\n");
    git(path, "add", "staged.txt");
    expect(planRemoval(repo, "alice", { ...gone, force: true }).changes).toEqual(["staged.txt"]);
  });

  it("with --force removes it, and the wip ref restores the untracked file and the unstaged change", async () => {
    const { repo, path } = await withWorktree();
    write(path, "kept.txt", "changed\n");
    write(path, "untracked.txt", "new\n");
    const removed = await removeWorktree(repo, "alice", { ...gone, force: true });
    expect(removed.wip.dirty).toBe(true);
    expect(removed.changes.sort()).toEqual(["kept.txt", "untracked.txt"]);
    expect(existsSync(path)).toBe(false);
    const [, ...words] = removed.wip.restore.worktree.split(" ");
    git(repo, ...words);
    const restored = join(repo, ".baton/worktrees/alice-restored");
    expect(readFileSync(join(restored, "kept.txt"), "utf8")).toBe("changed\n");
    expect(readFileSync(join(restored, "untracked.txt"), "utf8")).toBe("new\n");
  });

  it("never removes a live agent's worktree, even with --force", async () => {
    const { repo, path } = await withWorktree();
    for (const force of [false, true]) {
      const error = await thrown(() =>
        removeWorktree(repo, "alice", { alive: true, aliveBecause: "heard from 3s ago", force, at: AT }),
      );
      expect(error.code).toBe("conflict");
      expect(error.message).toContain("heard from 3s ago");
      expect(error.details).toMatchObject({ reason: "alive" });
    }
    expect(readFileSync(join(path, "kept.txt"), "utf8")).toBe("committed\n");
    expect(git(repo, "for-each-ref", "refs/baton/")).toBe("");
  });

  it("keeps a locked worktree", async () => {
    const { repo, path } = await withWorktree();
    git(repo, "worktree", "lock", path);
    const error = await thrown(() => removeWorktree(repo, "alice", { ...gone, force: true }));
    expect(error.details).toMatchObject({ reason: "locked" });
    expect(existsSync(path)).toBe(true);
  });

  it("forgets a worktree whose folder is already gone, naming its last commit", async () => {
    const { repo, path, head } = await withWorktree();
    rmSync(path, { recursive: true, force: true });
    const removed = await removeWorktree(repo, "alice", gone);
    expect(removed.wip.commit).toBe(head);
    expect(git(repo, "worktree", "list", "--porcelain")).not.toContain(path);
  });

  it("runs the archive script in the worktree after its work is saved, before it goes; a failing one keeps it", async () => {
    const { repo, path } = await withWorktree();
    write(path, "notes.txt", "uncommitted\n");
    const out = join(tempDir(), "archived.json");
    // What the script sees: its folder, its agent, and the wip ref, which exists already.
    const script = `const {execFileSync} = require("node:child_process");
      const ref = process.env.BATON_WIP_REF;
      const commit = execFileSync("git", ["rev-parse", ref], {encoding: "utf8"}).trim();
      require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify({cwd: process.cwd(), agent: process.env.BATON_AGENT, ref, commit, notes: require("node:fs").readFileSync("notes.txt", "utf8")}));`;
    const failing = {
      argv: [process.execPath, "-e", "console.log('disk full'); process.exit(3)"],
      timeoutMs: 10_000,
    };
    const error = await thrown(() =>
      removeWorktree(repo, "alice", { ...gone, force: true, archive: failing }),
    );
    expect(error.code).toBe("gate_failed");
    expect(error.message).toContain("disk full");
    expect(error.details).toMatchObject({ reason: "archive", exitCode: 3 });
    expect(existsSync(path)).toBe(true);

    const removed = await removeWorktree(repo, "alice", {
      alive: false,
      at: new Date(AT.getTime() + 1000),
      force: true,
      archive: { argv: [process.execPath, "-e", script], timeoutMs: 10_000 },
    });
    expect(existsSync(path)).toBe(false);
    const seen = JSON.parse(readFileSync(out, "utf8"));
    expect(seen).toEqual({
      cwd: path,
      agent: "alice",
      ref: removed.wip.ref,
      commit: removed.wip.commit,
      notes: "uncommitted\n",
    });
  });

  it("refuses a symlink at .baton/worktrees/NAME and never follows it", async () => {
    const repo = tempRepo();
    const elsewhere = tempDir();
    writeFileSync(join(elsewhere, "precious.txt"), "keep me\n");
    git(elsewhere, "init", "-q");
    mkdirSync(join(repo, ".baton/worktrees"), { recursive: true });
    symlinkSync(elsewhere, join(repo, ".baton/worktrees/evil"));
    const error = await thrown(() => removeWorktree(repo, "evil", { ...gone, force: true }));
    expect(error.code).toBe("outside_workspace");
    expect(readdirSync(elsewhere).sort()).toEqual([".git", "precious.txt"]);
  });

  it("refuses a name with .. or a slash, and a worktree made elsewhere by hand", async () => {
    const { repo } = await withWorktree();
    const elsewhere = join(tempDir(), "elsewhere");
    git(repo, "worktree", "add", "-q", elsewhere, "-b", "elsewhere");
    write(elsewhere, "untracked.txt", "mine\n");
    for (const name of ["..", "../alice", "a..b", "alice/.."]) {
      expect((await thrown(() => removeWorktree(repo, name, { ...gone, force: true }))).code, name).toBe(
        "invalid_input",
      );
    }
    expect((await thrown(() => removeWorktree(repo, "elsewhere", { ...gone, force: true }))).code).toBe(
      "not_found",
    );
    expect(readFileSync(join(elsewhere, "untracked.txt"), "utf8")).toBe("mine\n");
    expect(existsSync(join(repo, ".baton/worktrees/alice/kept.txt"))).toBe(true);
  });
});
