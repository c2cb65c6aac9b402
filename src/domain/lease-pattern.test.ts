import { describe, expect, it } from "vitest";
import { coversWholeWorkspace, patternsOverlap } from "./lease-pattern.js";

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
    // A glob covers what lies below its matches: `src/*` names src's folders.
    ["src/*", "src/sub/deep/a.ts", true],
    ["src/*.ts", "src/a.ts/x", true],
    ["src/*.ts", "src/sub/a.ts", false],
    ["*/*", "a", false],
    ["*/*", "a/b/c", true],
    ["?", "ab/c", false],
    ["?", "a/b/c", true],
    // A plain path is exact: a file lease meets no glob by sharing a folder with its matches.
    ["src/**/*.ts", "src/styles/a.css", false],
    ["newdir", "newdir/f.ts", false],
    ["src/a.ts", "src/a.tsx", false],
    ["src/a", "src/ab/c", false],
  ];
  it.each(cases)("%s ~ %s → %s", (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });
});

describe("coversWholeWorkspace", () => {
  it.each([
    ["*", true],
    ["**", true],
    ["**/*", true],
    ["*/**", true],
    ["**/**/*", true],
    ["*/*", true],
    ["**/*.ts", false],
    ["src/**", false],
    ["?", false],
    ["*.*", false],
  ])("%s → %s", (pattern, expected) => {
    expect(coversWholeWorkspace(pattern)).toBe(expected);
  });
});
