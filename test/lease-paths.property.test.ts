import { execFileSync } from "node:child_process";
import {
  linkSync,
  mkdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Lease } from "../src/domain/types.js";
import { BatonError } from "../src/errors.js";
import { heldFiles } from "../src/hosts/guard/pre-edit.js";
import { openWorkspace, type Workspace } from "../src/services/workspace.js";
import { readReportFile } from "../src/workspace/report-file.js";
import { baton, tempDir, tempRepo } from "./helpers/temp-repo.js";

/**
 * Two names for one file. Random file systems full of symlinks (to files and
 * folders, `ln -s .` loops, dangling links inside and to outside, links that
 * climb out with `..` and come back in), changed before and after grants,
 * while two agents lock paths typed every which way from two folders. The
 * oracle is the kernel (GNU `realpath -m`, `stat`), not baton's resolver:
 *
 * - a path the kernel resolves outside the repository is refused with
 *   outside_workspace, a loop with invalid_input; a granted key is where the
 *   kernel says the path leads;
 * - no fresh grant covers a real file that another agent's live exclusive
 *   lease covers now (or an exclusive one any live lease covers), whatever
 *   symlinks were made since that lease was granted;
 * - check and the edit guard see the grant under the name it was asked by;
 * - every lease can be released by its holder by the key `locks` shows, and
 *   force-released by a human, whatever its path leads to by then.
 */

/** Scenarios per test run (~0.5 s each); raise it to hunt: LEASE_PATHS_RUNS=200. */
const RUNS = Number(process.env.LEASE_PATHS_RUNS ?? 25);
/** The oracle needs GNU realpath's -m (coreutils); elsewhere the table tests below still run. */
const GNU_REALPATH =
  errno(() => execFileSync("realpath", ["-m", "/nonexistent/x"], { stdio: "ignore" })) === undefined;
const PLACES = ["l1", "l2", "top.ts", "src", "lib", "src/l3", "lib/l4", "ghost", "newdir", "src/a.ts"];
const TARGETS = [
  ".",
  "..",
  "../..",
  "src",
  "lib",
  "src/a.ts",
  "top.ts",
  "ghost",
  "ghost/deep.ts",
  "l1",
  "l2",
  "$OUT",
  "$OUT/x.ts",
  "/nonexistent-baton-dir/x",
  "$ROOT/src",
  "../$NAME/lib",
];
const SEGMENTS = ["src", "lib", "l1", "l2", "a.ts", "c.ts", "top.ts", "ghost", "new.ts", "newdir"];
const ODD_SEGMENTS = ["l3", "l4", ".", "..", "", "x"];

type Action =
  | { kind: "link"; at: string; to: string }
  | { kind: "moveAside" | "mkdir" | "mkfile" | "rm"; at: string }
  | { kind: "lock"; who: number; path: string; shared: boolean }
  | { kind: "unlockTyped"; pick: number }
  | { kind: "release"; pick: number; human: boolean }
  | { kind: "heartbeat"; who: number };

const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SEGMENTS) },
  fc.constantFrom(...ODD_SEGMENTS),
);
const typedPath = fc
  .record({
    segments: fc.oneof(
      { weight: 3, arbitrary: fc.array(segment, { minLength: 1, maxLength: 2 }) },
      fc.array(segment, { minLength: 3, maxLength: 4 }),
    ),
    form: fc.constantFrom("plain", "plain", "plain", "slash", "absolute", "glob", "glob-star"),
  })
  .map(({ segments, form }) => {
    const path = segments.join("/");
    if (form === "slash") return `${path}/`;
    if (form === "absolute") return `$ROOT/${path}`;
    if (form === "glob") return `${path}/*.ts`;
    if (form === "glob-star") return `${path}/*`;
    return path;
  })
  .filter((path) => path.trim() !== "");
const place = fc.constantFrom(...PLACES);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("link" as const), at: place, to: fc.constantFrom(...TARGETS) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("moveAside" as const), at: place }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom("mkdir" as const, "mkfile" as const, "rm" as const),
      at: place,
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("lock" as const),
      who: fc.nat(3),
      path: typedPath,
      shared: fc.nat(4).map((n) => n === 0),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unlockTyped" as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("release" as const), pick: fc.nat(), human: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("heartbeat" as const), who: fc.nat(3) }) },
);

const counts = {
  paths: 0,
  grantsTried: 0,
  granted: 0,
  conflicts: 0,
  refusedOutside: 0,
  refusedInvalid: 0,
  pairsChecked: 0,
  guardChecks: 0,
  overRefusals: 0,
  releasedByHolder: 0,
  forceReleased: 0,
  typedUnlocks: 0,
  fsChanges: 0,
};

/**
 * Where the kernel says an absolute path leads (GNU realpath -m: links
 * followed, missing tails kept); undefined for a loop. `realpath -m` never
 * ends on a chain of links that grows at each turn (`a -> b/x`, `b -> a`),
 * which stat reports as ELOOP: those are asked of stat first.
 */
function kernel(abs: string): string | undefined {
  if (!asked.has(abs)) asked.set(abs, askKernel(abs));
  return asked.get(abs);
}

/** The kernel's answers since the file system last changed. */
const asked = new Map<string, string | undefined>();

function askKernel(abs: string): string | undefined {
  if (errno(() => statSync(abs)) === "ELOOP") return undefined;
  try {
    return execFileSync("realpath", ["-m", "--", abs], { encoding: "utf8", timeout: 1500 }).trimEnd();
  } catch {
    return undefined;
  }
}

function errno(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

/**
 * Whether the kernel gives the path a meaning: no loop on the way, and each
 * `..` climbs from a folder that exists (open("missing/../x") fails).
 */
function kernelView(abs: string): "loop" | "undefined" | "ok" {
  const parts = abs.split("/");
  for (let i = 1; i < parts.length; i++) {
    if (parts[i] !== "..") continue;
    const code = errno(() => statSync(parts.slice(0, i).join("/") || "/").isDirectory() || fail());
    if (code === "ELOOP") return "loop";
    if (code) return "undefined";
  }
  return errno(() => statSync(abs)) === "ELOOP" ? "loop" : "ok";
}

function fail(): never {
  throw Object.assign(new Error("not a folder"), { code: "ENOTDIR" });
}

type Kind = "folder" | "file" | "missing";
function kindOf(real: string): Kind {
  try {
    return statSync(real).isDirectory() ? "folder" : "file";
  } catch {
    return "missing";
  }
}

const inside = (root: string, path: string) => path === root || path.startsWith(`${root}/`);

/** Whether an existing ancestor of a real path is not a folder: nothing can be made there. */
function belowAFile(real: string): boolean {
  for (let dir = dirname(real); dir !== dirname(dir); dir = dirname(dir)) {
    const kind = kindOf(dir);
    if (kind === "folder") return false;
    if (kind === "file") return true;
  }
  return false;
}

/** The real files a lease can cover, per the kernel now: `real` itself and/or what lies below it. */
interface Region {
  real: string;
  self: boolean;
  below: boolean;
}

function regionOf(key: string, root: string): Region | undefined {
  if (/[*?]/.test(key.replace(/\/\*\*$/, ""))) return undefined; // globs: checked by the pattern tests
  const folderKey = key.endsWith("/**");
  const abs = join(root, folderKey ? key.slice(0, -3) : key);
  if (kernelView(abs) !== "ok") return undefined;
  const real = kernel(abs);
  if (!real || !inside(root, real) || belowAFile(real)) return undefined;
  const kind = kindOf(real);
  if (folderKey) return { real, self: false, below: true };
  return { real, self: kind !== "folder", below: kind !== "file" };
}

function regionsOverlap(a: Region, b: Region): boolean {
  if (a.real === b.real) return (a.self && b.self) || (a.below && b.below);
  if (b.real.startsWith(`${a.real}/`)) return a.below;
  if (a.real.startsWith(`${b.real}/`)) return b.below;
  return false;
}

interface Grant {
  lease: Lease;
  typed: string;
  ws: Workspace;
}

function refusalCode(error: unknown): string {
  if (!(error instanceof BatonError)) throw error;
  return error.code;
}

async function runScenario(actions: Action[]): Promise<void> {
  const root = tempRepo();
  const out = tempDir("baton-outside-");
  mkdirSync(join(out, "dir"));
  writeFileSync(join(out, "x.ts"), "outside");
  for (const dir of ["src", "lib"]) mkdirSync(join(root, dir));
  for (const file of ["src/a.ts", "src/b.ts", "lib/c.ts", "top.ts"]) writeFileSync(join(root, file), file);
  const fill = (text: string) =>
    text.replaceAll("$ROOT", root).replaceAll("$OUT", out).replaceAll("$NAME", basename(root));
  const cwds = [root, root, join(root, "src"), join(root, "src")];
  const names = ["alice", "bob", "alice", "bob"];
  const agents: Workspace[] = [];
  for (let i = 0; i < 4; i++) agents.push(await openWorkspace({ cwd: cwds[i], as: names[i] }));
  const human = await openWorkspace({ cwd: root, as: "human" });
  const byName = (name: string) => agents[names.indexOf(name)]!;
  const grants: Grant[] = [];
  let moved = 0;
  const log: string[] = [];

  /** A change to the file system, only ever inside the repository or the outside sandbox. */
  const mutate = (a: Exclude<Action, { kind: "lock" | "unlockTyped" | "release" | "heartbeat" }>) => {
    const abs = join(root, a.at);
    let parent: string;
    try {
      parent = realpathSync(dirname(abs));
    } catch {
      return;
    }
    if ((!inside(root, parent) && !inside(out, parent)) || kindOf(parent) !== "folder") return;
    const at = join(parent, basename(abs));
    if (at === root || at === out || at === join(root, ".git") || at === join(root, ".baton")) return;
    counts.fsChanges++;
    asked.clear();
    if (a.kind === "moveAside") {
      const aside = `${basename(at)}.moved-${++moved}`;
      if (errno(() => renameSync(at, join(parent, aside)))) return;
      symlinkSync(aside, at);
      return;
    }
    rmSync(at, { recursive: true, force: true });
    if (a.kind === "link") symlinkSync(fill(a.to), at);
    if (a.kind === "mkdir") mkdirSync(at);
    if (a.kind === "mkfile") writeFileSync(at, "new");
  };

  const live = () => human.leases.list();

  const lock = async (a: Extract<Action, { kind: "lock" }>) => {
    const ws = agents[a.who]!;
    const typed = fill(a.path);
    const cwd = cwds[a.who]!;
    const glob = /[*?]/.test(typed);
    const staticPart = glob
      ? typed.slice(0, typed.search(/\/[^/]*[*?]/)) || (typed.startsWith("/") ? "/" : ".")
      : typed;
    const abs = staticPart.startsWith("/") ? staticPart : `${cwd}/${staticPart}`;
    const real = kernel(abs);
    const view = real === undefined ? "loop" : kernelView(abs);
    const before = await live();
    counts.paths++;
    counts.grantsTried++;
    let result: Awaited<ReturnType<Workspace["leases"]["lock"]>>;
    try {
      result = await ws.leases.lock([typed], { shared: a.shared });
    } catch (error) {
      const code = refusalCode(error);
      log.push(`lock ${typed} by ${names[a.who]} in ${relative(root, cwd) || "."}: ${code}`);
      if (code === "outside_workspace") counts.refusedOutside++;
      else counts.refusedInvalid++;
      expect(["outside_workspace", "invalid_input"]).toContain(code);
      if (view === "loop") expect(code).toBe("invalid_input");
      else if (view === "ok" && !inside(root, real!)) expect(code).toBe("outside_workspace");
      else if (view === "ok" && !glob && real !== root && !belowAFile(real!)) {
        // Inside, no loop, not the root, not below a file: only a trailing slash on a file may be refused.
        expect(typed.endsWith("/") && kindOf(real!) === "file").toBe(true);
      }
      return;
    }
    // Granted or refused for a conflict: the path is the repository's.
    expect(view).not.toBe("loop");
    if (view === "ok") expect(inside(root, real!) && (glob || real !== root)).toBe(true);
    if (result.conflicts.length > 0) {
      counts.conflicts++;
      log.push(`lock ${typed} by ${names[a.who]}: conflict with ${result.conflicts.map((c) => c.heldPath)}`);
      const mine = regionOf(staticPartKey(real!, root, typed, glob), root);
      if (!glob && mine && view === "ok") {
        const real = result.conflicts.some((c) => {
          const theirs = regionOf(c.heldPath, root);
          return theirs === undefined || regionsOverlap(mine, theirs);
        });
        if (!real) counts.overRefusals++;
      }
      return;
    }
    counts.granted++;
    const lease = result.granted[0]!;
    log.push(`lock ${typed} by ${names[a.who]} in ${relative(root, cwd) || "."}: ${lease.path}`);
    grants.push({ lease, typed, ws });
    if (glob || view !== "ok") return;
    // The key is where the kernel says the path leads.
    const rel = relative(root, real!).split(sep).join("/");
    expect(lease.path === rel || lease.path === `${rel}/**`).toBe(true);
    // No live lease of another agent covers a real file this grant covers, unless both are shared.
    const mine = regionOf(lease.path, root)!;
    for (const other of before) {
      if (other.holder === lease.holder || (!other.exclusive && !lease.exclusive)) continue;
      const theirs = regionOf(other.path, root);
      if (!theirs) continue;
      counts.pairsChecked++;
      if (regionsOverlap(mine, theirs))
        throw new Error(
          `${lease.holder} got ${lease.path} over ${other.holder}'s ${other.path}\n${log.join("\n")}`,
        );
    }
    // check sees it under the name it was asked by; the guard stops another agent's edit of that file.
    expect((await ws.leases.check(typed)).map((l) => l.path)).toContain(lease.path);
    if (lease.exclusive && !lease.path.endsWith("/**") && kindOf(real!) !== "folder") {
      counts.guardChecks++;
      const otherAgent = byName(lease.holder === "alice" ? "bob" : "alice");
      const held = await heldFiles(otherAgent, [{ path: typed, cwd: "", literal: true }], cwd);
      expect(held.map((h) => h.lease.holder)).toContain(lease.holder);
    }
  };

  /** Releases a live lease by the key `locks` shows: the holder (from the root, or from src by its absolute path) or a human. */
  const release = async (lease: Lease, byHuman: boolean, fromSub: boolean) => {
    if (byHuman) {
      const released = await human.leases.forceRelease([lease.path]);
      expect(released.map((l) => `${l.path} ${l.holder}`)).toContain(`${lease.path} ${lease.holder}`);
      counts.forceReleased++;
    } else {
      const ws = agents[names.indexOf(lease.holder) + (fromSub ? 2 : 0)]!;
      const { released } = await ws.leases.unlock([fromSub ? join(root, lease.path) : lease.path]);
      expect(released.map((l) => l.path)).toContain(lease.path);
      counts.releasedByHolder++;
    }
    const left = await live();
    expect(left.some((l) => l.path === lease.path && l.holder === lease.holder)).toBe(false);
  };

  try {
    for (const a of actions) {
      if (a.kind === "lock") await lock(a);
      else if (a.kind === "heartbeat") {
        const beat = await agents[a.who]!.agents.heartbeat();
        expect(beat.renewedLeases.length).toBe(
          (await agents[a.who]!.leases.list({ holder: names[a.who] })).length,
        );
      } else if (a.kind === "release") {
        const leases = await live();
        if (leases.length === 0) continue;
        await release(leases[a.pick % leases.length]!, a.human, a.pick % 2 === 1);
      } else if (a.kind === "unlockTyped") {
        const still = grants.filter((g) => g.lease.holder !== "human");
        if (still.length === 0) continue;
        const grant = still[a.pick % still.length]!;
        counts.typedUnlocks++;
        // By the name it was typed as: it may lead elsewhere by now; then a clear refusal, never a crash.
        await grant.ws.leases.unlock([grant.typed]).catch((error: unknown) => {
          expect(["lease_lost", "outside_workspace", "invalid_input"]).toContain(refusalCode(error));
        });
      } else mutate(a);
    }
    // Whatever the file system did, every live lease is released by its holder or a human.
    // Read again after each: a human's force-release frees every holder of a key (shared leases too).
    for (let i = 0, left = await live(); left.length > 0; i++, left = await live()) {
      await release(left[0]!, i % 3 === 0, i % 3 === 2);
    }
    expect(await live()).toEqual([]);
  } finally {
    for (const ws of [...agents, human]) await ws.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

/** The key the oracle reads a refused-for-conflict request as (its static part, a folder's key when it is one). */
function staticPartKey(real: string, root: string, typed: string, glob: boolean): string {
  const rel = relative(root, real).split(sep).join("/");
  return !glob && (typed.endsWith("/") || kindOf(real) === "folder") ? `${rel}/**` : rel;
}

describe("lease paths: two names for one file", () => {
  it("grants no two exclusive leases on one real file, refuses what leads outside, and always releases", async () => {
    expect(GNU_REALPATH, "GNU realpath (coreutils) is the oracle of this test").toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 25, maxLength: 45 }), (actions) => runScenario(actions)),
      // A failure prints its seed and path: LEASE_PATHS_SEED=… LEASE_PATHS_PATH=… replays it.
      {
        numRuns: RUNS,
        ...(process.env.LEASE_PATHS_SEED ? { seed: Number(process.env.LEASE_PATHS_SEED) } : {}),
        ...(process.env.LEASE_PATHS_PATH ? { path: process.env.LEASE_PATHS_PATH } : {}),
      },
    );
    console.log(`lease paths: ${JSON.stringify(counts)}`);
    expect(counts.granted).toBeGreaterThan(RUNS * 3);
    expect(counts.refusedOutside).toBeGreaterThan(0);
    expect(counts.pairsChecked).toBeGreaterThan(0);
    expect(counts.guardChecks).toBeGreaterThan(0);
    expect(counts.overRefusals).toBe(0);
  });
});

/** A repository with the links: `inner -> src`, `rootlink -> .`, links out, dangling and looping. */
async function linkedRepo() {
  const root = tempRepo();
  const out = tempDir("baton-outside-");
  writeFileSync(join(out, "secret.yaml"), "summary: not yours\n");
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src", "a.ts"), "a");
  writeFileSync(join(root, "top.ts"), "top");
  symlinkSync("src", join(root, "inner"));
  symlinkSync(".", join(root, "rootlink"));
  symlinkSync(out, join(root, "out"));
  symlinkSync(join(out, "nothing-yet.ts"), join(root, "dangling-out"));
  symlinkSync("ghost/new.ts", join(root, "dangling-in"));
  symlinkSync("loop-b", join(root, "loop-a"));
  symlinkSync("loop-a", join(root, "loop-b"));
  const alice = await openWorkspace({ cwd: root, as: "alice" });
  const bob = await openWorkspace({ cwd: root, as: "bob" });
  const human = await openWorkspace({ cwd: root, as: "human" });
  return { root, out, alice, bob, human, [Symbol.asyncDispose]: () => closeAll(alice, bob, human) };
}

async function closeAll(...all: Workspace[]) {
  for (const ws of all) await ws.close();
}

async function outcome(run: () => Promise<{ granted: Lease[]; conflicts: unknown[] }>): Promise<string> {
  try {
    const result = await run();
    return result.conflicts.length ? "conflict" : `granted ${result.granted.map((l) => l.path).join(" ")}`;
  } catch (error) {
    return refusalCode(error);
  }
}

describe("lease paths: the issue's cases, one by one", () => {
  it("keys every name of a file alike, globs included, and refuses what leads outside", async () => {
    await using repo = await linkedRepo();
    const table: [string, string][] = [
      ["inner/a.ts", "granted src/a.ts"],
      ["rootlink/src/a.ts", "granted src/a.ts"],
      ["rootlink/rootlink/inner/a.ts", "granted src/a.ts"],
      ["inner/*.ts", "granted src/*.ts"],
      ["rootlink/inner/**/*.ts", "granted src/**/*.ts"],
      ["dangling-in", "granted ghost/new.ts"],
      ["dangling-in/../x.ts", "granted ghost/x.ts"],
      ["dangling-out", "outside_workspace"],
      ["out/../x", "outside_workspace"],
      ["out/*.ts", "outside_workspace"],
      ["inner/../../x", "outside_workspace"],
      ["loop-a", "invalid_input"],
      ["loop-a/*.ts", "invalid_input"],
      ["top.ts/x", "invalid_input"],
    ];
    for (const [path, expected] of table) {
      counts.paths++;
      expect(`${path}: ${await outcome(() => repo.alice.leases.lock([path]))}`).toBe(`${path}: ${expected}`);
      for (const lease of await repo.alice.leases.list({ holder: "alice" }))
        await repo.alice.leases.unlock([lease.path]);
    }
    // Two names, one file: the second agent meets the first whichever name each uses.
    for (const [mine, theirs] of [
      ["src/a.ts", "inner/a.ts"],
      ["inner/*.ts", "rootlink/src/a.ts"],
      ["rootlink/src/", "inner/a.ts"],
    ]) {
      expect(await outcome(() => repo.alice.leases.lock([mine!]))).toMatch(/^granted/);
      expect(`${theirs} after ${mine}: ${await outcome(() => repo.bob.leases.lock([theirs!]))}`).toBe(
        `${theirs} after ${mine}: conflict`,
      );
      await repo.alice.leases.unlock([mine!]);
    }
  });

  it("the edit guard meets a lease through every name, the whole tree included", async () => {
    await using repo = await linkedRepo();
    await repo.alice.leases.lock(["src/a.ts"]);
    const table: [string, boolean, boolean][] = [
      // path, recursive (rm -r), held by alice
      ["inner/a.ts", false, true],
      ["rootlink/src/a.ts", false, true],
      ["src/*.ts", false, true],
      ["inner", true, true],
      ["*", true, true],
      [".", true, true],
      ["rootlink", true, true],
      ["top.ts", false, false],
      ["inner/b.ts", false, false],
      ["out/a.ts", false, false],
    ];
    for (const [path, below, held] of table) {
      counts.guardChecks++;
      const found = await heldFiles(repo.bob, [{ path, below, cwd: "" }], repo.root);
      expect(`${path}: ${found.map((h) => h.lease.holder).join(",")}`).toBe(
        `${path}: ${held ? "alice" : ""}`,
      );
    }
  });

  it("refuses patterns that cover the whole workspace unless said on purpose", async () => {
    await using repo = await linkedRepo();
    for (const path of [
      ".",
      "./",
      "*",
      "**",
      "**/*",
      "*/**",
      "*/*",
      "rootlink",
      "rootlink/*",
      "inner/..",
      "src/..",
    ]) {
      counts.paths++;
      expect(`${path}: ${await outcome(() => repo.alice.leases.lock([path]))}`).toBe(
        `${path}: invalid_input`,
      );
    }
    for (const path of ["**/*.ts", "src/*", "?"])
      expect(await outcome(() => repo.alice.leases.lock([path]))).toMatch(/^granted/);
    await repo.alice.leases.unlock(["**/*.ts", "src/*", "?"]);
    expect(await outcome(() => repo.human.leases.lock([], { wholeWorkspace: true }))).toBe("granted **");
    expect(await outcome(() => repo.alice.leases.lock(["top.ts"]))).toBe("conflict");
    expect((await repo.alice.leases.check("src/a.ts")).map((l) => l.holder)).toEqual(["human"]);
    await repo.human.leases.unlock(["."]);
    expect(await outcome(() => repo.bob.leases.lock(["rootlink/*"], { wholeWorkspace: true }))).toBe(
      "granted *",
    );
    expect(await outcome(() => repo.alice.leases.lock(["src/a.ts"]))).toBe("conflict");
  });

  it("a lease on a name with nothing there yet meets leases below it once it is a folder", async () => {
    await using repo = await linkedRepo();
    expect(await outcome(() => repo.alice.leases.lock(["newdir"]))).toBe("granted newdir");
    expect(await outcome(() => repo.bob.leases.lock(["newdir/f.ts"]))).toBe("conflict");
    mkdirSync(join(repo.root, "newdir"));
    expect(await outcome(() => repo.bob.leases.lock(["newdir/f.ts"]))).toBe("conflict");
    expect(await outcome(() => repo.bob.leases.lock(["newdir2/f.ts"]))).toBe("granted newdir2/f.ts");
    // The other way round: a lease below first, then the name.
    expect(await outcome(() => repo.alice.leases.lock(["newdir2"]))).toBe("conflict");
    expect(await outcome(() => repo.alice.leases.lock(["newdir3/"]))).toBe("granted newdir3/**");
    await repo.alice.leases.unlock(["newdir", "newdir3"]);
    expect(await repo.alice.leases.list({ holder: "alice" })).toEqual([]);
  });

  it("a symlink made after a grant neither lets a second agent in nor strands the lease", async () => {
    await using repo = await linkedRepo();
    const { root } = repo;
    mkdirSync(join(root, "lib"));
    writeFileSync(join(root, "lib", "c.ts"), "c");
    await repo.alice.leases.lock(["lib/c.ts", "top.ts"]);
    // lib becomes a link to src (its file moved there), top.ts a link out of the repository.
    renameSync(join(root, "lib", "c.ts"), join(root, "src", "c.ts"));
    rmSync(join(root, "lib"), { recursive: true });
    symlinkSync("src", join(root, "lib"));
    rmSync(join(root, "top.ts"));
    symlinkSync(join(repo.out, "secret.yaml"), join(root, "top.ts"));
    expect(await outcome(() => repo.bob.leases.lock(["src/c.ts"]))).toBe("conflict");
    expect((await repo.bob.leases.check("src/c.ts")).map((l) => l.path)).toEqual(["lib/c.ts"]);
    expect((await repo.bob.leases.checkPath("top.ts")).leases.map((l) => l.path)).toEqual(["top.ts"]);
    const guard = await heldFiles(repo.bob, [{ path: "src/c.ts", cwd: "", literal: true }], root);
    expect(guard.map((h) => h.lease.path)).toEqual(["lib/c.ts"]);
    // Heartbeats renew both; the holder releases one by the key it was granted, a human the other.
    expect((await repo.alice.agents.heartbeat()).renewedLeases).toHaveLength(2);
    expect((await repo.alice.leases.unlock(["lib/c.ts"])).released.map((l) => l.path)).toEqual(["lib/c.ts"]);
    expect((await repo.human.leases.forceRelease(["top.ts"])).map((l) => l.path)).toEqual(["top.ts"]);
    expect(await outcome(() => repo.bob.leases.lock(["src/c.ts"]))).toBe("granted src/c.ts");
    // A folder lease whose folder became a link out: released by its key from a subfolder too.
    await repo.bob.leases.lock(["src/"]);
    renameSync(join(root, "src"), join(root, "src-old"));
    symlinkSync(repo.out, join(root, "src"));
    const deeper = await openWorkspace({ cwd: join(root, "src-old"), as: "bob" });
    try {
      expect((await deeper.leases.unlock([join(root, "src/**")])).released.map((l) => l.path)).toEqual([
        "src/**",
      ]);
      expect((await deeper.leases.unlock(["src/c.ts"])).released.map((l) => l.path)).toEqual(["src/c.ts"]);
    } finally {
      await deeper.close();
    }
  });

  it("warns that a hard-linked file has other names the lease does not cover", async () => {
    await using repo = await linkedRepo();
    linkSync(join(repo.root, "src", "a.ts"), join(repo.root, "hard.ts"));
    const result = await repo.alice.leases.lock(["hard.ts"]);
    expect(result.granted.map((l) => l.path)).toEqual(["hard.ts"]);
    expect(result.warnings).toEqual([expect.stringContaining("hard.ts has 2 names")]);
    expect((await repo.alice.leases.lock(["inner/*.ts"])).warnings).toEqual([]);
  });

  it("a report file is read only from inside the repository", async () => {
    await using repo = await linkedRepo();
    const { root, out } = repo;
    writeFileSync(join(root, "report.yaml"), "summary: fine\n");
    symlinkSync(join(out, "secret.yaml"), join(root, "link-out.yaml"));
    symlinkSync("report.yaml", join(root, "link-in.yaml"));
    symlinkSync("nothing.yaml", join(root, "dangling.yaml"));
    symlinkSync("loop.yaml", join(root, "loop.yaml"));
    const table: [string, string][] = [
      ["link-out.yaml", "outside_workspace"],
      ["out/secret.yaml", "outside_workspace"],
      ["out/../report.yaml", "outside_workspace"],
      ["inner/../../report.yaml", "outside_workspace"],
      [join(out, "secret.yaml"), "outside_workspace"],
      ["../secret.yaml", "outside_workspace"],
      ["dangling.yaml", "not_found"],
      ["loop.yaml", "invalid_input"],
      ["src", "invalid_input"],
      ["link-in.yaml", "fine"],
      ["rootlink/report.yaml", "fine"],
      ["inner/../report.yaml", "fine"],
    ];
    for (const [report, expected] of table) {
      counts.paths++;
      const got = await readReportFile(report, repo.alice.paths).then(
        (read) => read.summary,
        (error: unknown) => refusalCode(error),
      );
      expect(`${report}: ${got}`).toBe(`${report}: ${expected}`);
    }
    // The CLI's --report goes the same way.
    const as = { BATON_AGENT: "bot" };
    baton(root, ["task", "add", "t"], as);
    baton(root, ["task", "claim"], as);
    const refused = baton(root, ["task", "done", "T-1", "--report", "link-out.yaml", "--json"], as);
    expect([refused.code, refused.json().error.code]).toEqual([2, "outside_workspace"]);
    expect(baton(root, ["task", "done", "T-1", "--report", "link-in.yaml"], as).code).toBe(0);
  });
});
