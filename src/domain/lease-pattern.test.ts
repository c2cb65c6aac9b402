import { describe, expect, it } from "vitest";
import { patternsOverlap } from "./lease-pattern.js";

describe("patternsOverlap", () => {
  const cases: [string, string, boolean][] = [
    ["src/a.ts", "src/a.ts", true],
    ["src/a.ts", "src/b.ts", false],
    ["src/*.ts", "src/a.ts", true],
    ["src/*.ts", "src/sub/a.ts", false],
    ["src/**", "src/sub/deep/a.ts", true],
    ["src/**/*.ts", "src/a.ts", true],
    ["src/**/*.ts", "src/x/y/a.ts", true],
    ["src/**/*.ts", "src/x/y/a.css", false],
    ["src/*.ts", "src/a.*", true],
    ["src/*.ts", "src/*.css", false],
    ["src/?.ts", "src/ab.ts", false],
    ["src/?.ts", "src/a.ts", true],
    ["a*", "*b", true],
    ["docs/**", "src/**", false],
    ["**", "anything/at/all", true],
    ["src/api/**", "src/apiary/x.ts", false],
    ["*/*", "a", false],
  ];
  it.each(cases)("%s ~ %s → %s", (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });
});
