import { describe, expect, it } from "vitest";
import { isApplyPatch, patchTargets } from "./apply-patch.js";
import { shellWrites } from "./shell-writes.js";

const paths = (command: string) => shellWrites(command).map((w) => (w.cwd ? `${w.cwd}|${w.path}` : w.path));

describe("shellWrites", () => {
  it("finds redirection targets, quoted or not, and skips descriptors and /dev/null", () => {
    expect(paths("echo hi > src/a.ts")).toEqual(["src/a.ts"]);
    expect(paths("echo hi >>'src/my file.ts' 2>&1")).toEqual(["src/my file.ts"]);
    expect(paths('printf x >"b.ts"; cat a 2> err.log')).toEqual(["b.ts", "err.log"]);
    expect(paths("make &> build.log && true > /dev/null")).toEqual(["build.log"]);
    expect(paths("cat < in.txt | grep x")).toEqual([]);
    expect(paths("echo x>|forced.txt")).toEqual(["forced.txt"]);
  });

  it("knows the usual writers: tee, sed -i, perl -i, mv, cp, rm, touch, truncate, dd", () => {
    expect(paths("ls | tee -a out.txt log.txt")).toEqual(["out.txt", "log.txt"]);
    expect(paths("sed -i 's/a/b/' src/a.ts src/b.ts")).toEqual(["src/a.ts", "src/b.ts"]);
    expect(paths("sed -i.bak -e 's/a/b/' -e 's/c/d/' f.ts")).toEqual(["f.ts"]);
    expect(paths("sed -n 's/a/b/p' src/a.ts")).toEqual([]);
    expect(paths("perl -pi -e 's/a/b/' x.pl")).toEqual(["x.pl"]);
    expect(paths("cp a.ts b.ts")).toEqual(["b.ts"]);
    expect(paths("cp a.ts b.ts dir/")).toEqual(["dir/a.ts", "dir/b.ts"]);
    expect(shellWrites("mv old.ts new.ts")).toEqual([
      { path: "old.ts", below: true, cwd: "" },
      { path: "new.ts", cwd: "" },
    ]);
    expect(shellWrites("rm -rf build")).toEqual([{ path: "build", below: true, cwd: "" }]);
    expect(paths("touch a b && truncate -s 0 c")).toEqual(["a", "b", "c"]);
    expect(paths("dd if=/dev/zero of=disk.img bs=1")).toEqual(["disk.img"]);
  });

  it("follows cd before a command, through prefixes and env assignments", () => {
    expect(paths("cd src && echo x > a.ts")).toEqual(["src|a.ts"]);
    expect(paths("cd src; cd api && FOO=1 sudo tee x.ts")).toEqual(["src/api|x.ts"]);
    expect(paths("cd /abs && rm f")).toEqual(["/abs|f"]);
    // An unknowable cd: what follows cannot be placed, so it is left out rather than guessed.
    expect(paths("cd $DIR && echo x > a.ts; echo y > /abs/b.ts")).toEqual(["/abs/b.ts"]);
  });

  it("reads the script of bash -c, sh -lc and eval as a command line of its own", () => {
    expect(paths("bash -c 'echo x > src/a.ts'")).toEqual(["src/a.ts"]);
    expect(paths('cd src && sh -lc "cd api && echo x > a.ts"')).toEqual(["src/api|a.ts"]);
    expect(paths("eval 'printf x >> log.txt'")).toEqual(["log.txt"]);
    expect(paths("bash script.sh > out.txt")).toEqual(["out.txt"]);
    expect(paths('bash -c \'bash -c "bash -c \\"bash -c \\\\\\"echo > deep\\\\\\"\\""\'')).toEqual([]);
  });

  it("leaves out what it cannot know, and treats heredoc bodies as data", () => {
    expect(paths('echo x > "$OUT"')).toEqual([]);
    expect(paths("echo x > $(pick)")).toEqual([]);
    expect(paths("cat > notes.md <<'EOF'\nrm -rf everything > gone.txt\nEOF\necho done > ok.txt")).toEqual([
      "notes.md",
      "ok.txt",
    ]);
    expect(paths("# echo x > commented.txt\nnpm test")).toEqual([]);
    expect(paths("git commit -am 'x > y'")).toEqual([]);
  });
});

describe("apply_patch bodies", () => {
  it("lists every file a patch adds, updates, deletes or moves to", () => {
    const patch = [
      "apply_patch <<'EOF'",
      "*** Begin Patch",
      "*** Update File: src/a.ts",
      "@@",
      "-old",
      "+new",
      "*** Move to: src/b.ts",
      "*** Add File: docs/new.md",
      "+hello",
      "*** Delete File: old.txt",
      "*** End Patch",
      "EOF",
    ].join("\n");
    expect(isApplyPatch(patch)).toBe(true);
    expect(patchTargets(patch)).toEqual(["src/a.ts", "src/b.ts", "docs/new.md", "old.txt"]);
    expect(isApplyPatch("echo '*** Update File: x'")).toBe(false);
  });
});
