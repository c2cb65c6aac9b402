import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateAgentName } from "../services/identity.js";
import { foldName, isNearMiss, nameDistance, suggestNames } from "./agent-names.js";

describe("agent names", () => {
  it.each([
    // [new name, known name, a slip?]
    ["cluade-1", "claude-1", true], // swapped letters
    ["claude1", "claude-1", true], // dropped separator
    ["claude_1", "claude-1", true], // another separator
    ["claude.1", "claude-1", true],
    ["lae", "lea", true], // swapped neighbours in a short name
    ["claud-1", "claude-1", true], // dropped letter
    ["Lea", "lea", true], // case only
    ["LEA", "lea", true],
    ["alcie", "alice", true],
    ["reviwer", "reviewer", true],
    ["claude-2", "claude-1", false], // numbered siblings
    ["claude-12", "claude-1", false],
    ["reviewer2", "reviewer", false],
    ["worker-b", "worker-a", false], // lettered siblings after a separator
    ["bob", "rob", false], // short names differ by design
    ["lead", "lea", false],
    ["a", "b", false],
    ["codex-1", "claude-1", false],
    ["claude-1", "claude-1", false], // the same name is not a slip
  ])("%s beside %s: slip %s", (name, known, slip) => {
    expect(isNearMiss(name, known)).toBe(slip);
  });

  it("counts a swap of neighbours as one edit", () => {
    expect(nameDistance("cluade", "claude")).toBe(1);
    expect(nameDistance("", "abc")).toBe(3);
    expect(nameDistance("kitten", "sitting")).toBe(3);
  });

  it("distance is a metric on random names: zero only for equal names, symmetric", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{0,12}$/), fc.stringMatching(/^[a-z0-9-]{0,12}$/), (a, b) => {
        expect(nameDistance(a, b)).toBe(nameDistance(b, a));
        expect(nameDistance(a, b) === 0).toBe(a === b);
        expect(nameDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });

  it("a case variant of a known name is always a slip, whatever the name", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9_.@-]{0,20}$/), (name) => {
        const shouted = name.toUpperCase();
        if (shouted !== name) expect(isNearMiss(shouted, name)).toBe(true);
        expect(foldName(shouted)).toBe(foldName(name));
      }),
    );
  });

  it("suggests the closest known names for an unknown one", () => {
    expect(suggestNames("cluade-1", ["claude-1", "claude-2", "codex-1", "lea"])).toEqual([
      "claude-1",
      "claude-2",
    ]);
    expect(suggestNames("Lea", ["lea", "lead"])).toEqual(["lea", "lead"]);
    expect(suggestNames("zed", ["claude-1", "lea"])).toEqual([]);
  });

  /** What a name may be: ASCII only, so no look-alikes from other scripts and nothing to normalise. */
  it.each([
    ["claude-1", "claude-1"],
    ["  claude-1  ", "claude-1"],
    ["a".repeat(64), "a".repeat(64)],
    ["lea@team.example", "lea@team.example"],
  ])("accepts %j as %j", (input, name) => {
    expect(validateAgentName(input)).toBe(name);
  });

  it.each([
    ["", "empty"],
    ["   ", "blank"],
    ["a".repeat(65), "over 64 characters"],
    ["-lea", "leading dash (would read as a flag)"],
    ["clаude-1", "Cyrillic а in a Latin name"],
    ["ｃlaude-1", "fullwidth letter"],
    ["claude\u200b-1", "zero-width space"],
    ["cafe\u0301", "combining accent (NFD)"],
    ["café", "precomposed accent (NFC)"],
    ["lea\nboss", "newline"],
    ["lea boss", "space inside"],
    ["lea;rm", "shell metacharacter"],
    ["guardian", "reserved"],
    ["Guardian", "reserved, any case"],
  ])("refuses %j (%s)", (input) => {
    expect(() => validateAgentName(input)).toThrow(expect.objectContaining({ code: "invalid_input" }));
  });
});
