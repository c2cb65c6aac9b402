import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { teamSessionName } from "./session-name.js";

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe("teamSessionName", () => {
  it("is baton- and the first 8 hex digits of the SHA-256 of the root's real path", () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "baton-name-")));
    dirs.push(dir);
    const root = join(dir, "répertoire 日本");
    mkdirSync(root);
    const expected = `baton-${createHash("sha256").update(Buffer.from(root, "utf8")).digest("hex").slice(0, 8)}`;
    expect(teamSessionName(root)).toBe(expected);
    expect(expected).toMatch(/^baton-[0-9a-f]{8}$/);
    // The same repository through a symlink, or a path with a trailing /. and /, is the same team.
    symlinkSync(root, join(dir, "link"));
    expect(teamSessionName(join(dir, "link"))).toBe(expected);
    expect(teamSessionName(`${root}/./`)).toBe(expected);
    // Another folder, another team.
    mkdirSync(join(dir, "other"));
    expect(teamSessionName(join(dir, "other"))).not.toBe(expected);
  });
});
