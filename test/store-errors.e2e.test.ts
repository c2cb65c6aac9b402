import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/store/sqlite/driver.js";
import { baton, CLI, tempDir, tempRepo } from "./helpers/temp-repo.js";

/**
 * The machine's trouble, met for real: a full disk and a read-only disk (a small
 * tmpfs in a user namespace of our own, so nothing on the machine changes), a
 * file baton may not write (as an unprivileged user: root ignores permissions),
 * a file that is not a database, and a database with a damaged page. Each must
 * get its own code and a hint, never "internal error — a bug in baton", and
 * lose nothing that was saved before.
 */

const WORKER = resolve(import.meta.dirname, "workers/on-small-disk.mjs");

// These tests need Linux's user namespaces (unshare) and, as root, setpriv: where they are
// missing the tests fail, loudly, rather than skip (CI must prove what the README says).

/** A user with no rights on our files: when we are root, `nobody` through setpriv; otherwise ourselves. */
const isRoot = process.getuid?.() === 0;

type Step =
  | { cli: string[]; cwd?: string }
  | { fill: true }
  | { unfill: true }
  | { readOnly: true }
  | { background: string[]; until: string };

interface StepResult {
  code?: number;
  stdout?: string;
  stderr?: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON a step printed
  json?: any;
}

/** Plays the steps on a fresh tmpfs of `size` mounted at a temp folder, inside a namespace of our own. */
function onSmallDisk(size: string, steps: (dir: string) => Step[]): StepResult[] {
  const dir = tempDir("baton-disk-");
  const run = spawnSync(
    "unshare",
    [
      "--user",
      "--map-root-user",
      "--mount",
      process.execPath,
      WORKER,
      dir,
      size,
      JSON.stringify(steps(dir)),
      CLI,
    ],
    {
      encoding: "utf8",
      env: { ...process.env, HOME: tempDir("baton-home-"), BATON_AGENT: "ann", BATON_STORE: undefined },
    },
  );
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as StepResult[]).map((result) => ({
    ...result,
    json: result.stdout ? JSON.parse(result.stdout) : undefined,
  }));
}

describe("a full disk", () => {
  it("refuses the change as store_full with a hint, keeps what was saved, and works again once there is room", () => {
    const store = (dir: string) => ["--store", join(dir, "baton.db"), "--json"];
    // The disk is filled to the last byte either way; its size only leaves room, once the filler
    // is gone, for the database (the access tables made it 24 KiB larger) and its write-ahead log.
    const [added, filled, big, small, , list, after] = onSmallDisk("600k", (dir) => [
      { cli: ["task", "add", "saved before", ...store(dir)] },
      { fill: true },
      { cli: ["task", "add", "too late", "--body", "x".repeat(60_000), ...store(dir)] },
      { cli: ["task", "add", "small", ...store(dir)] },
      { unfill: true },
      { cli: ["task", "list", ...store(dir)] },
      { cli: ["task", "add", "after room was made", ...store(dir)] },
    ]);
    expect(added!.code).toBe(0);
    expect((filled as { error?: string }).error).toBe("ENOSPC");
    for (const refused of [big!, small!]) {
      expect(refused.json.error.code).toBe("store_full");
      expect(refused.json.error.message).toContain("no space left");
      expect(refused.json.error.hint).toContain("free space");
      expect(refused.code).toBe(1);
    }
    expect(list!.json.tasks.map((task: { title: string }) => task.title)).toEqual(["saved before"]);
    expect(after!.code).toBe(0);
  });
});

describe("a disk that fills while the store is open", () => {
  it("refuses the write itself as store_full, and the open store keeps working once there is room", () => {
    const results = onSmallDisk("1m", (dir) => {
      const db = join(dir, "baton.db");
      const store = ["--store", db, "--json"];
      return [
        { cli: ["task", "add", "saved before", ...store] },
        // An agent waiting on its inbox holds the store open, its -wal and -shm files with it.
        { background: ["inbox", "--wait", "1m", ...store], until: `${db}-shm` },
        { fill: true },
        { cli: ["task", "add", "too late", "--body", "x".repeat(60_000), ...store] },
        { unfill: true },
        { cli: ["task", "add", "after room was made", ...store] },
        { cli: ["task", "list", ...store] },
      ];
    });
    const [, holder, , refused, , after, list] = results;
    expect((holder as { background?: boolean }).background).toBe(true);
    expect(refused!.json.error.code).toBe("store_full");
    expect(refused!.json.error.message).toContain("SQLITE_FULL");
    expect(after!.code).toBe(0);
    expect(list!.json.tasks.map((task: { title: string }) => task.title)).toEqual([
      "saved before",
      "after room was made",
    ]);
  });
});

describe("a read-only disk", () => {
  it("refuses writes and reads as store_read_only with a hint, and keeps what was saved", () => {
    const results = onSmallDisk("4m", (dir) => {
      const store = ["--store", join(dir, "baton.db"), "--json"];
      return [
        { cli: ["task", "add", "saved before", ...store] },
        { readOnly: true },
        { cli: ["task", "add", "refused", ...store] },
        { cli: ["task", "list", ...store] },
      ];
    });
    const [added, , refused, list] = results;
    expect(added!.code).toBe(0);
    for (const result of [refused!, list!]) {
      expect(result.code).toBe(1);
      expect(result.json.error).toMatchObject({ code: "store_read_only" });
      expect(result.json.error.hint).toContain("remounted read-write");
    }
  });
});

/** Runs the CLI as a user with no rights on root's files (`nobody` when we are root). */
function asUser(
  cwd: string,
  args: string[],
): { code: number | null; error: { code: string; message: string; hint: string } } {
  const home = tempDir("baton-home-");
  chmodSync(home, 0o777);
  const argv = [process.execPath, CLI, ...args, "--json"];
  const command = isRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ...argv] : argv;
  const run = spawnSync(command[0]!, command.slice(1), {
    cwd,
    encoding: "utf8",
    env: { ...process.env, HOME: home, BATON_AGENT: "ann", BATON_STORE: undefined, NO_COLOR: "1" },
  });
  return { code: run.status, error: JSON.parse(run.stdout).error };
}

describe("files this user may not write", () => {
  it("a store it may not write is store_read_only, for a change and for a read, and stays as it was", () => {
    const dir = tempDir("baton-perm-");
    const db = join(dir, "baton.db");
    expect(baton(dir, ["task", "add", "saved before", "--store", db], { BATON_AGENT: "ann" }).code).toBe(0);
    const before = readFileSync(db);
    // The folder must be reachable (mkdtemp makes it 0700) but not writable; the file read-only.
    chmodSync(db, 0o444);
    chmodSync(dir, 0o555);
    try {
      for (const args of [
        ["task", "add", "refused"],
        ["task", "list"],
      ]) {
        const { code, error } = asUser(dir, [...args, "--store", db]);
        expect(code).toBe(1);
        expect(error.code).toBe("store_read_only");
        expect(error.hint).toContain("writable by this user");
      }
      expect(readFileSync(db)).toEqual(before);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it("a mirror folder it may not write is store_read_only naming the folder, not a bug", () => {
    const dir = tempDir("baton-perm-");
    const data = join(dir, "data");
    mkdirSync(data);
    const db = join(data, "baton.db");
    expect(baton(dir, ["task", "add", "t", "--store", db], { BATON_AGENT: "ann" }).code).toBe(0);
    // The store is the user's; the folder the mirror goes in is not.
    if (isRoot) for (const path of [data, db]) chownSync(path, 65534, 65534);
    chmodSync(dir, 0o555);
    try {
      const { code, error } = asUser(dir, ["mirror", "--store", db]);
      expect(code).toBe(1);
      expect(error.code).toBe("store_read_only");
      expect(error.message).toContain(join(dir, ".baton"));
      expect(error.message).toContain("EACCES");
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});

describe("a store that is damaged or not a database", () => {
  it("names a file that is not a database store_corrupt and leaves it as it was", () => {
    const dir = tempDir();
    const db = join(dir, "notes.db");
    writeFileSync(db, "meeting notes, not a database: ".repeat(200));
    const before = readFileSync(db);
    const result = baton(dir, ["task", "list", "--store", db, "--json"]);
    expect(result.code).toBe(1);
    expect(result.json().error).toMatchObject({ code: "store_corrupt" });
    expect(result.json().error.hint).toContain("restore it from a backup");
    expect(readFileSync(db)).toEqual(before);
  });

  it("names a damaged page store_corrupt, keeps the file, and a restored copy works", () => {
    const dir = tempDir();
    const db = join(dir, "baton.db");
    for (let i = 0; i < 30; i++) {
      const added = baton(dir, ["task", "add", `task ${i}`, "--body", `${i} `.repeat(1000), "--store", db], {
        BATON_AGENT: "ann",
      });
      expect(added.code).toBe(0);
    }
    const backup = join(dir, "backup.db");
    copyFileSync(db, backup);
    // Overwrite one page of the file as a failing disk would: the root page of the tasks table.
    const handle = openDatabase(db);
    const { rootpage } = handle.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'tasks'").get() as {
      rootpage: number;
    };
    const { page_size: pageSize } = handle.prepare("PRAGMA page_size").get() as { page_size: number };
    handle.close();
    const bytes = readFileSync(db);
    bytes.fill(0xde, (rootpage - 1) * pageSize, rootpage * pageSize);
    writeFileSync(db, bytes);
    const damaged = baton(dir, ["task", "list", "--store", db, "--json"]);
    expect(damaged.code).toBe(1);
    expect(damaged.json().error.code).toBe("store_corrupt");
    expect(damaged.json().error.message).toContain("damaged");
    expect(damaged.json().error.hint).toContain(".recover");
    expect(damaged.stdout).not.toContain("bug in baton");
    expect(readFileSync(db)).toEqual(bytes);
    // What the hint says: put the damaged file aside, bring back the copy.
    copyFileSync(backup, db);
    const restored = baton(dir, ["task", "list", "--store", db, "--json"]);
    expect(restored.json().tasks).toHaveLength(30);
  });
});

describe("a store path with a typo", () => {
  it("is refused when its folder does not exist, and no folder or hub is created", () => {
    const repo = tempRepo();
    const typo = join(repo, "typo", "deeper", "x.db");
    const result = baton(repo, ["task", "add", "lost", "--store", typo, "--json"], { BATON_AGENT: "ann" });
    expect(result.code).toBe(4);
    expect(result.json().error.code).toBe("not_found");
    expect(result.json().error.hint).toContain("baton init");
    expect(existsSync(join(repo, "typo"))).toBe(false);
    // A file where the folder should be is no folder either.
    writeFileSync(join(repo, "file"), "");
    expect(baton(repo, ["task", "list", "--store", join(repo, "file", "x.db"), "--json"]).code).toBe(4);
    // A store in a folder that exists is still created on first use.
    expect(baton(repo, ["task", "list", "--store", join(repo, "fresh.db")]).code).toBe(0);
    expect(statSync(join(repo, "fresh.db")).isFile()).toBe(true);
  });
});
