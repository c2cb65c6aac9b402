import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commandTree, flagsOf, takesValue } from "../src/cli/command-tree.js";
import { buildProgram } from "../src/cli/program.js";
import { baton, tempDir, testHome } from "./helpers/temp-repo.js";
import { Terminal } from "./helpers/terminal.js";

/** Shells write their history and caches under HOME: the test's own, never the user's. */
const shellEnv = () => ({
  ...process.env,
  HOME: testHome(),
  XDG_CONFIG_HOME: undefined,
  XDG_DATA_HOME: undefined,
});

const has = (program: string) => spawnSync("sh", ["-c", 'command -v "$1"', "sh", program]).status === 0;

/**
 * Runs bash's completion for each case: the words typed (the last one being completed), one
 * case per line, each word prefixed with @ so an empty word survives `read`. The script is
 * fixed; the cases come in as data, never as shell text.
 */
const RUNNER = `
source "$1"
while IFS=$'\\t' read -r -a words; do
  words=("\${words[@]#@}")
  COMP_WORDS=("\${words[@]}")
  COMP_CWORD=$(( \${#words[@]} - 1 ))
  _baton
  printf '%s\\n' "\${COMPREPLY[*]}"
done < "$2"
`;

function complete(script: string, cases: string[][]): string[][] {
  const dir = tempDir("baton-completion-");
  writeFileSync(join(dir, "baton.bash"), script);
  writeFileSync(
    join(dir, "cases"),
    `${cases.map((words) => words.map((w) => `@${w}`).join("\t")).join("\n")}\n`,
  );
  const run = spawnSync("bash", ["-c", RUNNER, "bash", join(dir, "baton.bash"), join(dir, "cases")], {
    cwd: tempDir("baton-empty-"), // no files around: file-name completion adds nothing
    encoding: "utf8",
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return run.stdout
    .split("\n")
    .slice(0, cases.length)
    .map((line) => line.split(" ").filter(Boolean));
}

describe("baton completion", () => {
  const nodes = commandTree(buildProgram("0.0.0-test"));
  const global = nodes[0]!.command.options.flatMap(flagsOf).filter((flag) => flag.startsWith("--"));

  it("bash: registers, and completes every subcommand, every flag, and nothing after a flag that takes a value", () => {
    const repo = tempDir();
    const printed = baton(repo, ["completion", "bash"]);
    expect(printed.code).toBe(0);
    const registered = spawnSync(
      "bash",
      [
        "-c",
        'source <(node "$1" completion bash); complete -p baton',
        "bash",
        join(import.meta.dirname, "../dist/cli/baton.js"),
      ],
      { encoding: "utf8" },
    );
    expect(registered.stdout).toContain("-F _baton baton");

    const cases: { words: string[]; check: (got: string[]) => void; what: string }[] = [];
    for (const { path, command } of nodes) {
      const typed = ["baton", ...(path ? path.split(" ") : [])];
      for (const sub of command.commands) {
        const prefix = sub.name().slice(0, 2);
        for (const words of [
          [...typed, prefix],
          ["baton", "--as", "alice", ...typed.slice(1), prefix], // a global flag and its value first
        ]) {
          cases.push({
            words,
            what: `${words.join(" ")} → ${sub.name()}`,
            check: (got) => {
              expect(got).toContain(sub.name());
              for (const word of got) expect(word.startsWith(prefix)).toBe(true);
            },
          });
        }
      }
      const own = command.options.flatMap(flagsOf).filter((flag) => flag.startsWith("--"));
      cases.push({
        words: [...typed, "--"],
        what: `${typed.join(" ")} --`,
        check: (got) => expect(got).toEqual(expect.arrayContaining([...own, ...global, "--help"])),
      });
      for (const option of command.options.filter(takesValue)) {
        cases.push({
          words: [...typed, option.long!, ""],
          what: `${typed.join(" ")} ${option.long} (a value)`,
          check: (got) => expect(got).toEqual([]),
        });
      }
    }
    cases.push(
      {
        words: ["baton", "completion", ""],
        what: "shells",
        check: (got) => expect(got).toEqual(["bash", "zsh", "fish"]),
      },
      {
        words: ["baton", "lock", "src/a.ts", "c"],
        what: "no subcommand after an argument",
        check: (got) => expect(got).toEqual([]),
      },
      {
        words: ["baton", "task", "claim", "--ttl", "30m", "--"],
        what: "after a flag's value",
        check: (got) => expect(got).toContain("--queue"),
      },
    );
    const results = complete(
      printed.stdout,
      cases.map((c) => c.words),
    );
    cases.forEach((c, i) => {
      try {
        c.check(results[i]!);
      } catch (error) {
        throw new Error(`${c.what}: got [${results[i]!.join(" ")}]\n${(error as Error).message}`);
      }
    });
    expect(cases.length).toBeGreaterThan(250);
  });

  it("zsh and fish: every command path and flag is in the script; syntax-checked where the shell is installed", () => {
    const repo = tempDir();
    for (const shell of ["zsh", "fish"] as const) {
      const script = baton(repo, ["completion", shell]).stdout;
      for (const { path, command } of nodes) {
        // fish's conditions quote the path inside a quoted string.
        if (path)
          expect(script, `${shell}: ${path}`).toContain(
            shell === "fish" ? `__baton_at \\'${path}\\'` : `'${path}'`,
          );
        for (const flag of command.options.flatMap(flagsOf)) {
          const written =
            shell === "fish"
              ? flag.startsWith("--")
                ? `-l '${flag.slice(2)}'`
                : `-s '${flag.slice(1)}'`
              : `'${flag}`;
          expect(script, `${shell}: ${path} ${flag}`).toContain(written);
        }
      }
      expect(has(shell), `${shell} is needed (.ci/run installs it)`).toBe(true);
      {
        const file = join(tempDir(), `baton.${shell}`);
        writeFileSync(file, script);
        const check = spawnSync(shell, shell === "zsh" ? ["-n", file] : ["--no-execute", file], {
          encoding: "utf8",
          env: shellEnv(),
        });
        expect(check.stderr, `${shell} -n`).toBe("");
        expect(check.status).toBe(0);
      }
    }
  });

  it("fish: completes subcommands, flags and choices", () => {
    expect(has("fish"), "fish is needed (.ci/run installs it)").toBe(true);
    const file = join(tempDir(), "baton.fish");
    writeFileSync(file, baton(tempDir(), ["completion", "fish"]).stdout);
    const cases: [string, string[]][] = [
      ["baton ta", ["task"]],
      ["baton task cl", ["claim"]],
      ["baton --as alice task d", ["dep", "done"]],
      ["baton task claim --t", ["--tag", "--ttl"]],
      ["baton completion ", ["bash", "fish", "zsh"]],
      ["baton queue edit bugs --no-", ["--no-handler", "--no-sla"]],
    ];
    for (const [line, expected] of cases) {
      // The line travels as an argument: fish reads it from $argv, never as code.
      const run = spawnSync("fish", ["-c", "source $argv[1]; complete -C $argv[2]", file, line], {
        encoding: "utf8",
        cwd: tempDir(),
        env: shellEnv(),
      });
      const got = run.stdout
        .split("\n")
        .filter(Boolean)
        .map((row) => row.split("\t")[0]);
      expect(got, line).toEqual(expected);
    }
  });

  it("zsh: Tab completes in a real zsh", async () => {
    expect(has("zsh") && has("tmux"), "zsh and tmux are needed (.ci/run installs them)").toBe(true);
    const dir = tempDir();
    writeFileSync(join(dir, "_baton"), baton(tempDir(), ["completion", "zsh"]).stdout);
    const tty = Terminal.shell(dir, ["zsh", "-f"]);
    tty.type(`fpath=(${dir} $fpath); autoload -U compinit; compinit -u; PS1='> '`);
    tty.press("Enter");
    for (const [typed, shown] of [
      ["baton task cl", "baton task claim "],
      ["baton --as alice queu", "baton --as alice queue "],
      ["baton task claim --tt", "baton task claim --ttl "],
    ]) {
      tty.press("C-u");
      tty.type(typed!);
      tty.press("Tab");
      await tty.until((screen) => screen.includes(`> ${shown}`), `zsh completing ${typed}`);
    }
  });

  it("an unknown shell is a usage error naming the choices", () => {
    const result = baton(tempDir(), ["completion", "powershell"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("bash, zsh, fish");
  });
});
