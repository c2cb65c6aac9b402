import { describe, expect, it } from "vitest";
import { isRawPatch, patchTargets } from "./apply-patch.js";
import { shellWrites } from "./shell-writes.js";

/** Each write as `cwd|path`, or `path` where the shell's own folder is meant. */
const paths = (command: string) => shellWrites(command).map((w) => (w.cwd ? `${w.cwd}|${w.path}` : w.path));

describe("shellWrites", () => {
  it("finds redirection targets, quoted or not, and skips descriptors and /dev/null", () => {
    expect(paths("echo hi > src/a.ts")).toEqual(["src/a.ts"]);
    expect(paths("echo hi >>'src/my file.ts' 2>&1")).toEqual(["src/my file.ts"]);
    expect(paths('printf x >"b.ts"; cat a 2> err.log')).toEqual(["b.ts", "err.log"]);
    expect(paths("make &> build.log && true > /dev/null")).toEqual(["build.log"]);
    expect(paths("cat < in.txt | grep x")).toEqual([]);
    expect(paths("echo x>|forced.txt")).toEqual(["forced.txt"]);
    expect(paths("echo x >&src/a.ts; echo y >&2; echo z >&-")).toEqual(["src/a.ts"]);
    expect(paths("echo $'src/a.ts' > $'out\\tfile'")).toEqual(["out\tfile"]);
  });

  it("knows the usual writers and which of their options take a value", () => {
    expect(paths("ls | tee -a out.txt log.txt")).toEqual(["out.txt", "log.txt"]);
    expect(paths("sed -i 's/a/b/' src/a.ts src/b.ts")).toEqual(["src/a.ts", "src/b.ts"]);
    expect(paths("sed -i.bak -e 's/a/b/' -e 's/c/d/' f.ts")).toEqual(["f.ts"]);
    expect(paths("sed -n 's/a/b/p' src/a.ts")).toEqual([]);
    expect(paths("perl -pi -e 's/a/b/' x.pl")).toEqual(["x.pl"]);
    expect(paths("perl -i -I src/a.ts -pe 1 other.txt")).toEqual(["other.txt"]);
    expect(paths("cp a.ts b.ts")).toEqual(["b.ts"]);
    expect(shellWrites("cp /etc/hostname src/sub")).toEqual([
      { path: "src/sub", into: ["/etc/hostname"], cwd: "" },
    ]);
    expect(paths("cp a.ts b.ts dir/")).toEqual(["dir/a.ts", "dir/b.ts"]);
    expect(paths("cp -t src a.ts")).toEqual(["src/a.ts"]);
    expect(paths("install -m 644 f src/a.ts")).toEqual(["src/a.ts"]);
    expect(paths("mv -t src src/b.ts")).toEqual(["src/b.ts", "src/b.ts"]);
    expect(shellWrites("rm -rf build")).toEqual([{ path: "build", below: true, cwd: "" }]);
    expect(paths("touch a b && truncate -s 0 c")).toEqual(["a", "b", "c"]);
    expect(
      paths("touch -r src/a.ts /tmp/x; touch -d 'src/a.ts' /tmp/y; truncate -r src/a.ts /tmp/z"),
    ).toEqual(["/tmp/x", "/tmp/y", "/tmp/z"]);
    expect(paths("dd if=/dev/zero of=disk.img bs=1")).toEqual(["disk.img"]);
    expect(paths("sort -o sorted.txt in.txt; curl -o page.html x; wget -O f.zip y")).toEqual([
      "sorted.txt",
      "page.html",
      "f.zip",
    ]);
    expect(paths("rm src/{a,b}.ts")).toEqual(["src/a.ts", "src/b.ts"]);
  });

  it("reads git's commands that name the files they overwrite or remove", () => {
    expect(paths("git checkout -- src/a.ts")).toEqual(["src/a.ts"]);
    expect(paths("git checkout main")).toEqual([]);
    expect(paths("git restore --source HEAD~1 src/a.ts")).toEqual(["src/a.ts"]);
    expect(paths("git rm -q src/a.ts && git mv b.ts c.ts")).toEqual(["src/a.ts", "b.ts", "c.ts"]);
    expect(paths("git commit -am 'x > y' && git status")).toEqual([]);
  });

  it("sees past words that run another command: sudo, env, nice, timeout, command", () => {
    expect(paths("sudo -u root rm src/a.ts")).toEqual(["src/a.ts"]);
    expect(paths("env -i FOO=1 rm a; nice -n 10 rm b; timeout 5 rm c; command -p rm d; nohup rm e")).toEqual([
      "a",
      "b",
      "c",
      "d",
      "e",
    ]);
  });

  it("follows cd as the shell does: through reserved words, not out of subshells, pipes or background jobs", () => {
    expect(paths("cd src && echo x > a.ts")).toEqual(["src|a.ts"]);
    expect(paths("cd src; cd api && FOO=1 sudo tee x.ts")).toEqual(["src/api|x.ts"]);
    expect(paths("cd /abs && rm f")).toEqual(["/abs|f"]);
    expect(paths("if true; then cd src; fi; rm a.ts")).toEqual(["src|a.ts"]);
    expect(paths("{ cd src; }; rm a.ts")).toEqual(["src|a.ts"]);
    expect(paths("! cd src; rm a.ts")).toEqual(["src|a.ts"]);
    expect(paths("pushd src && rm a.ts")).toEqual(["src|a.ts"]);
    expect(paths("(cd src); rm src/a.ts")).toEqual(["src/a.ts"]);
    expect(paths("(cd src && rm a.ts)")).toEqual(["src|a.ts"]);
    expect(paths("cd src | cat; rm src/a.ts")).toEqual(["src/a.ts"]);
    expect(paths("cd src & rm src/a.ts")).toEqual(["src/a.ts"]);
    // After ||, the cd may or may not have run: both folders count.
    expect(paths("true || cd src; rm a.ts")).toEqual(["a.ts", "src|a.ts"]);
    // An unknowable cd: what follows cannot be placed, except absolute paths.
    expect(paths("cd $DIR && echo x > a.ts; echo y > /abs/b.ts")).toEqual(["/abs/b.ts"]);
    expect(paths("mkdir -p build && cd build && echo x > ../src/a.ts")).toEqual(["build|../src/a.ts"]);
  });

  it("reads bash -c, sh -lc, eval and command substitutions as command lines of their own", () => {
    expect(paths("bash -c 'echo x > src/a.ts'")).toEqual(["src/a.ts"]);
    expect(paths("bash -c -- 'rm src/a.ts'")).toEqual(["src/a.ts"]);
    expect(paths('cd src && sh -lc "cd api && echo x > a.ts"')).toEqual(["src/api|a.ts"]);
    expect(paths("eval 'printf x >> log.txt'")).toEqual(["log.txt"]);
    expect(paths("bash script.sh > out.txt")).toEqual(["out.txt"]);
    expect(paths("echo $(rm src/a.ts) `touch b.ts`")).toEqual(["src/a.ts", "b.ts"]);
    expect(paths('echo "$(rm src/a.ts)"')).toEqual(["src/a.ts"]);
  });

  it("treats heredoc bodies as data, whatever the delimiter's quoting, and arithmetic << as no heredoc", () => {
    expect(paths("cat > notes.md <<'EOF'\nrm -rf everything > gone.txt\nEOF\necho done > ok.txt")).toEqual([
      "notes.md",
      "ok.txt",
    ]);
    expect(paths("cat <<\\EOF\nx > no.txt\nEOF\nrm src/a.ts")).toEqual(["src/a.ts"]);
    expect(paths('cat <<E"O"F\nx > no.txt\nEOF\nrm src/a.ts')).toEqual(["src/a.ts"]);
    expect(paths("echo $((1<<2))\nrm src/a.ts")).toEqual(["src/a.ts"]);
    // An unquoted body still runs its command substitutions.
    expect(paths("cat <<EOF >/dev/null\n$(rm src/a.ts)\nEOF")).toEqual(["src/a.ts"]);
    expect(paths("cat <<'EOF' >/dev/null\n$(rm src/a.ts)\nEOF")).toEqual([]);
  });

  it("reads apply_patch heredocs relative to the cd before them, and a patch line inside a string changes nothing", () => {
    const patch = "*** Begin Patch\n*** Update File: a.ts\n@@\n-1\n+2\n*** End Patch";
    expect(paths(`cd src && apply_patch <<'EOF'\n${patch}\nEOF`)).toEqual(["src|a.ts"]);
    expect(paths(": '\n*** Begin Patch\n'; rm src/a.ts")).toEqual(["src/a.ts"]);
  });

  it("leaves out what it cannot know", () => {
    expect(paths('echo x > "$OUT"')).toEqual([]);
    expect(paths("echo x > $(pick)")).toEqual([]);
    expect(paths("# echo x > commented.txt\nnpm test")).toEqual([]);
    expect(paths("for f in a b; do echo; done")).toEqual([]);
  });
});

describe("apply_patch bodies", () => {
  it("lists every file a patch adds, updates, deletes or moves to; a context line that quotes a header is not one", () => {
    const patch = [
      "*** Begin Patch",
      "*** Update File: src/a.ts",
      "@@",
      "-old",
      " *** Update File: src/quoted.ts",
      "+new",
      "*** Move to: src/b.ts",
      "*** Add File: docs/new.md",
      "+hello",
      "*** Delete File: old.txt",
      "*** End Patch",
    ].join("\n");
    expect(isRawPatch(patch)).toBe(true);
    expect(patchTargets(patch)).toEqual(["src/a.ts", "src/b.ts", "docs/new.md", "old.txt"]);
    expect(isRawPatch(`apply_patch <<'EOF'\n${patch}\nEOF`)).toBe(false);
  });
});
