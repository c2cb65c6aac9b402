import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/temp-repo.js";
import { BatonError } from "../errors.js";
import { toWorkspacePattern } from "./workspace-path.js";

function setup() {
  const root = tempDir();
  mkdirSync(join(root, "src", "api"), { recursive: true });
  writeFileSync(join(root, "src", "app.ts"), "");
  return root;
}

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
    expect(toWorkspacePattern("src/app.ts", root, root)).toBe("src/app.ts");
    expect(toWorkspacePattern("app.ts", root, join(root, "src"))).toBe("src/app.ts");
    expect(toWorkspacePattern(join(root, "src/app.ts"), root, "/")).toBe("src/app.ts");
    expect(toWorkspacePattern("./src/../src/app.ts", root, root)).toBe("src/app.ts");
  });

  it("turns folders into folder/** so a lease covers what is inside", () => {
    const root = setup();
    expect(toWorkspacePattern("src/api", root, root)).toBe("src/api/**");
    expect(toWorkspacePattern("src/new/", root, root)).toBe("src/new/**");
    expect(toWorkspacePattern("src/not-yet.ts", root, root)).toBe("src/not-yet.ts");
  });

  it("keeps globs, normalising their static part", () => {
    const root = setup();
    expect(toWorkspacePattern("**/*.ts", root, join(root, "src"))).toBe("src/**/*.ts");
    expect(toWorkspacePattern("src/*.ts", root, root)).toBe("src/*.ts");
  });

  it("refuses what resolves outside the workspace, symlinks included", () => {
    const root = setup();
    const elsewhere = tempDir();
    symlinkSync(elsewhere, join(root, "escape"));
    expect(refusal(() => toWorkspacePattern("../x", root, root))).toBe("outside_workspace");
    expect(refusal(() => toWorkspacePattern("/etc/passwd", root, root))).toBe("outside_workspace");
    expect(refusal(() => toWorkspacePattern("escape/file.ts", root, root))).toBe("outside_workspace");
    expect(refusal(() => toWorkspacePattern("escape/*.ts", root, root))).toBe("outside_workspace");
    expect(refusal(() => toWorkspacePattern("src/*/../../..", root, root))).toBe("outside_workspace");
  });

  it("refuses empty paths, the whole workspace and malformed globs", () => {
    const root = setup();
    expect(refusal(() => toWorkspacePattern("  ", root, root))).toBe("invalid_input");
    expect(refusal(() => toWorkspacePattern(".", root, root))).toBe("invalid_input");
    expect(refusal(() => toWorkspacePattern("src/a**b", root, root))).toBe("invalid_input");
  });
});
