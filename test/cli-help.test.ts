import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { commandTree } from "../src/cli/command-tree.js";
import { HELP_EXAMPLES } from "../src/cli/help-examples.js";
import { buildProgram } from "../src/cli/program.js";
import { formatDuration } from "../src/util/duration.js";

/** Splits a shell line into words as a POSIX shell would (quotes, backslashes), up to a redirection or pipe. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let text = "";
      for (; line[j] !== '"'; j++) text += line[j] === "\\" ? line[++j] : line[j];
      word = (word ?? "") + text;
      i = j;
    } else if (c === "\\") word = (word ?? "") + line[++i];
    else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (/[<>|;&]/.test(c)) break;
    else word = (word ?? "") + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The program with every action replaced by a recorder: parsing runs (flags, parsers, arguments), nothing else. */
function dryProgram(): { program: Command; ran: () => string | undefined } {
  const program = buildProgram("0.0.0-test");
  let ran: string | undefined;
  for (const { path, command } of commandTree(program)) {
    command.configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
    command.action(() => {
      ran = path;
    });
  }
  return { program, ran: () => ran };
}

function helpOf(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

describe("help pages", () => {
  const nodes = commandTree(buildProgram("0.0.0-test"));

  it("every command has examples, and the examples file names no command that does not exist", () => {
    const paths = new Set(nodes.map((node) => node.path));
    const missing = [...paths].filter((path) => !HELP_EXAMPLES[path]?.length);
    expect(missing, "commands without examples: add them to src/cli/help-examples.ts").toEqual([]);
    expect(Object.keys(HELP_EXAMPLES).filter((path) => !paths.has(path))).toEqual([]);
    expect(nodes.length).toBeGreaterThanOrEqual(70);
  });

  it("every `baton ...` example parses as the command it illustrates (or one below it)", async () => {
    let parsed = 0;
    for (const [path, examples] of Object.entries(HELP_EXAMPLES)) {
      const lines = examples.map(([line]) => line).filter((line) => line.startsWith("baton "));
      expect(lines.length, `${path || "baton"} has no example that runs baton`).toBeGreaterThan(0);
      for (const line of lines) {
        const { program, ran } = dryProgram();
        const argv = shellWords(line).slice(1);
        await expect(program.parseAsync(argv, { from: "user" }), line).resolves.toBeDefined();
        const dispatched = ran();
        expect(dispatched, line).toBeDefined();
        expect(
          path === "" || dispatched === path || dispatched!.startsWith(`${path} `),
          `${line} runs ${dispatched}`,
        ).toBe(true);
        parsed++;
      }
    }
    expect(parsed).toBeGreaterThan(120);
  });

  it("a broken example would be caught: an unknown flag, a bad duration, a missing argument", async () => {
    for (const line of [
      "baton task claim --tll 30m",
      "baton ask hi --wait soon",
      "baton task show",
      "baton task clam",
    ]) {
      const { program } = dryProgram();
      await expect(program.parseAsync(shellWords(line).slice(1), { from: "user" }), line).rejects.toThrow();
    }
  });

  it("every page shows its examples and the global options; duration defaults read as durations", () => {
    let pages = 0;
    let durations = 0;
    for (const { path, command } of nodes) {
      const page = helpOf(command);
      expect(page, path).toContain(path === "" ? "Getting started:" : "Examples:");
      for (const [line] of HELP_EXAMPLES[path]!) expect(page, path).toContain(line);
      if (path !== "") {
        expect(page, path).toContain("Global Options:");
        for (const flag of ["--as <name>", "--json", "--dry-run", "--store <url>"])
          expect(page, path).toContain(flag);
      }
      for (const option of command.options) {
        if (!option.flags.includes("<duration>") || typeof option.defaultValue !== "number") continue;
        const flat = page.replace(/\s+/g, " "); // descriptions wrap at the terminal's width
        expect(flat, `${path} ${option.flags}`).toContain(
          `(default: ${formatDuration(option.defaultValue)})`,
        );
        expect(flat).not.toContain(`(default: ${option.defaultValue})`);
        durations++;
      }
      pages++;
    }
    expect(pages).toBe(nodes.length);
    expect(durations).toBeGreaterThanOrEqual(2); // mcp --max-wait, mirror --interval
  });

  it("reads shell words as a shell does", () => {
    expect(shellWords(`baton post '#release' "v2.1 \\"is\\" out" --x a\\ b > file`)).toEqual([
      "baton",
      "post",
      "#release",
      'v2.1 "is" out',
      "--x",
      "a b",
    ]);
  });
});
