import { describe, expect, it } from "vitest";
import { commandSequence, formatLiteral, paneCommand, tmuxWord } from "./tmux-args.js";

/** What tmux's cmd_parse_from_arguments makes of argv words (cmd-parse.y), to check the escaping against. */
function tmuxReads(words: string[]): string[][] {
  const commands: string[][] = [[]];
  for (const word of words) {
    if (word.endsWith(";")) {
      const rest = word.slice(0, -1);
      if (rest.endsWith("\\")) {
        commands.at(-1)!.push(`${rest.slice(0, -1)};`);
        continue;
      }
      if (rest !== "") commands.at(-1)!.push(rest);
      commands.push([]);
      continue;
    }
    commands.at(-1)!.push(word);
  }
  return commands.filter((c) => c.length > 0);
}

describe("tmux argv", () => {
  it("keeps every word a word of its own command, however it ends", () => {
    const words = [";", "a;", "a\\;", "a\\\\;", ";;", "\\", "x ; kill-server ;", "plain", ""];
    expect(tmuxReads(words)).not.toEqual([words]); // unescaped, tmux would split them
    expect(tmuxReads(words.map(tmuxWord))).toEqual([words]);
    expect(
      tmuxReads(
        commandSequence([
          ["send-keys", "a;"],
          ["kill-server;", ";"],
        ]),
      ),
    ).toEqual([
      ["send-keys", "a;"],
      ["kill-server;", ";"],
    ]);
  });

  it("doubles # so a format gives the text back", () => {
    expect(formatLiteral("/a/#(touch x)/#{pane_id}/##")).toBe("/a/##(touch x)/##{pane_id}/####");
  });

  it("runs every command through env --, and refuses what env would misread", () => {
    expect(paneCommand("/usr/bin/env", ["claude"])).toEqual(["/usr/bin/env", "--", "claude"]);
    expect(paneCommand("/usr/bin/env", ["-x", "a=b"])).toEqual(["/usr/bin/env", "--", "-x", "a=b"]);
    expect(paneCommand("/usr/bin/env", ["claude"], { PATH: "/x:/y", A: "b c" })).toEqual([
      "/usr/bin/env",
      "--",
      "PATH=/x:/y",
      "A=b c",
      "claude",
    ]);
    expect(() => paneCommand("/usr/bin/env", ["claude"], { "1A": "x" })).toThrow(/variable name/);
    expect(() => paneCommand("/usr/bin/env", ["A=1", "x"])).toThrow(/'='/);
    expect(() => paneCommand("/usr/bin/env", [])).toThrow(/no command/);
    expect(() => paneCommand("/usr/bin/env", ["x", "a\0b"])).toThrow(/NUL/);
  });
});
