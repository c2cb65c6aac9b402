import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git, tempDir, tempRepo } from "../../test/helpers/temp-repo.js";
import { BatonError } from "../errors.js";
import { findTree } from "./find-root.js";
import { type PathScope, repositoryFile, toWorkspacePattern } from "./workspace-path.js";

function setup() {
  const root = tempRepo({ init: false });
  mkdirSync(join(root, "src", "api"), { recursive: true });
  writeFileSync(join(root, "src", "app.ts"), "");
  return root;
}

/** The scope of a command run in `cwd`, as a workspace builds it. */
function scope(cwd: string): PathScope {
  const tree = findTree(cwd);
  return { commonDir: tree.commonDir, treeRoot: tree.root, cwd };
}

const pattern = (input: string, cwd: string) => toWorkspacePattern(input, scope(cwd));

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BatonError);
    return (error as BatonError).code;
  }
  throw new Error("expected a refusal");
}

describe("toWorkspacePattern", () => {
  it("makes paths relative to the root, from any working directory", () => {
    const root = setup();
    expect(pattern("src/app.ts", root)).toBe("src/app.ts");
    expect(pattern("app.ts", join(root, "src"))).toBe("src/app.ts");
    expect(toWorkspacePattern(join(root, "src/app.ts"), { ...scope(root), cwd: "/" })).toBe("src/app.ts");
    expect(pattern("./src/../src/app.ts", root)).toBe("src/app.ts");
  });

  it("turns folders into folder/** so a lease covers what is inside", () => {
    const root = setup();
    expect(pattern("src/api", root)).toBe("src/api/**");
    expect(pattern("src/new/", root)).toBe("src/new/**");
    expect(pattern("src/not-yet.ts", root)).toBe("src/not-yet.ts");
  });

  it("keeps globs, normalising their static part", () => {
    const root = setup();
    expect(pattern("**/*.ts", join(root, "src"))).toBe("src/**/*.ts");
    expect(pattern("src/*.ts", root)).toBe("src/*.ts");
    expect(pattern(join(root, "src/*.ts"), root)).toBe("src/*.ts");
  });

  it("refuses what resolves outside the workspace, symlinks included", () => {
    const root = setup();
    const elsewhere = tempDir();
    symlinkSync(elsewhere, join(root, "escape"));
    symlinkSync(join(elsewhere, "not-there.ts"), join(root, "dangling.ts"));
    expect(refusal(() => pattern("../x", root))).toBe("outside_workspace");
    expect(refusal(() => pattern("/etc/passwd", root))).toBe("outside_workspace");
    expect(refusal(() => pattern("escape/file.ts", root))).toBe("outside_workspace");
    expect(refusal(() => pattern("escape/*.ts", root))).toBe("outside_workspace");
    expect(refusal(() => pattern("src/*/../../..", root))).toBe("outside_workspace");
    // A dangling link is followed to where it points, outside.
    expect(refusal(() => pattern("dangling.ts", root))).toBe("outside_workspace");
    // `escape/..` is the parent of the link's target, not the root: outside.
    expect(refusal(() => pattern("escape/../x.ts", root))).toBe("outside_workspace");
  });

  it("gives one key to every name of one file: links inside the tree lead to the real file", () => {
    const root = setup();
    symlinkSync("src", join(root, "inner"));
    symlinkSync(".", join(root, "rootlink"));
    symlinkSync(join(root, "src", "app.ts"), join(root, "alias.ts"));
    mkdirSync(join(root, "deep", "er"), { recursive: true });
    symlinkSync(join(root, "deep", "er"), join(root, "src", "jump"));
    expect(pattern("inner/app.ts", root)).toBe("src/app.ts");
    expect(pattern("rootlink/src/app.ts", root)).toBe("src/app.ts");
    expect(pattern("rootlink/rootlink/inner/app.ts", root)).toBe("src/app.ts");
    expect(pattern("alias.ts", root)).toBe("src/app.ts");
    expect(pattern("inner/new-file.ts", root)).toBe("src/new-file.ts");
    expect(pattern("inner/*.ts", root)).toBe("src/*.ts");
    expect(pattern("inner", root)).toBe("src/**");
    // `jump/..` climbs from the link's target (deep/er) to deep.
    expect(pattern("src/jump/../x.ts", root)).toBe("deep/x.ts");
  });

  it("reads an absolute glob from the file system's root, a name starting with '..' as a name, and nothing below a file", () => {
    const root = setup();
    expect(refusal(() => pattern("/*.ts", root))).toBe("outside_workspace");
    expect(pattern(`${root}/*.ts`, join(root, "src"))).toBe("*.ts");
    expect(pattern("..cache/x.ts", root)).toBe("..cache/x.ts");
    expect(refusal(() => pattern("src/app.ts/x.ts", root))).toBe("invalid_input");
    expect(refusal(() => pattern("src/app.ts/new/", root))).toBe("invalid_input");
  });

  it("keeps a name as typed: a trailing space and a backslash are characters; a file is not a folder", () => {
    const root = setup();
    expect(pattern("src/app.ts ", root)).toBe("src/app.ts ");
    expect(pattern("src\\app.ts", root)).toBe("src\\app.ts");
    expect(refusal(() => pattern("src/app.ts/", root))).toBe("invalid_input");
  });

  it("refuses a symlink loop with a clear message, and the whole workspace", () => {
    const root = setup();
    symlinkSync("loop-b", join(root, "loop-a"));
    symlinkSync("loop-a", join(root, "loop-b"));
    expect(() => pattern("loop-a/x.ts", root)).toThrow(/symlink loop/);
    expect(refusal(() => pattern("  ", root))).toBe("invalid_input");
    expect(refusal(() => pattern(".", root))).toBe("invalid_input");
    symlinkSync(".", join(root, "self"));
    expect(refusal(() => pattern("self", root))).toBe("invalid_input");
    expect(refusal(() => pattern("src/a**b", root))).toBe("invalid_input");
  });

  it("keys a path in a linked worktree as in the main checkout: one file, one lease, whichever tree", () => {
    const root = setup();
    git(root, "add", "-A");
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "files");
    const worktree = join(tempDir(), "wt-1");
    git(root, "worktree", "add", "-q", "-b", "wt-1", worktree);
    const nested = join(root, ".worktrees", "wt-2");
    git(root, "worktree", "add", "-q", "-b", "wt-2", nested);
    expect(pattern("src/app.ts", worktree)).toBe("src/app.ts");
    expect(pattern("app.ts", join(worktree, "src"))).toBe("src/app.ts");
    expect(pattern("src/app.ts", nested)).toBe("src/app.ts");
    // A file of another worktree named from this one: the key is that tree's path.
    expect(pattern(join(nested, "src", "app.ts"), worktree)).toBe("src/app.ts");
    expect(pattern(join(root, "src", "api"), worktree)).toBe("src/api/**");
    // Another repository is outside, even next door.
    const other = tempRepo({ init: false });
    expect(refusal(() => pattern(join(other, "x.ts"), worktree))).toBe("outside_workspace");
    expect(repositoryFile(join(other, "x.ts"), scope(worktree))).toBeUndefined();
    expect(repositoryFile(join(worktree, "src", "app.ts"), scope(root))).toMatchObject({
      treeRoot: worktree,
      rel: "src/app.ts",
    });
  });
});
