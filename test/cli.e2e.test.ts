import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RESERVED_EVENT_PREFIXES } from "../src/services/log-service.js";
import { openDatabase } from "../src/store/sqlite/driver.js";
import { baton, CLI, git, tempDir, tempRepo } from "./helpers/temp-repo.js";

const as = (name: string) => ({ BATON_AGENT: name });

describe("baton CLI", () => {
  it("init writes commented config and a gitignore, and is idempotent", () => {
    const repo = tempRepo({ init: false });
    const first = baton(repo, ["init", "--json"]);
    expect(first.code).toBe(0);
    expect(first.json().created).toHaveLength(5); // config, .gitignore, three role templates
    const config = readFileSync(join(repo, ".baton/config.json"), "utf8");
    expect(config).toContain("// ");
    expect(readFileSync(join(repo, ".baton/.gitignore"), "utf8")).toContain("baton.db");
    git(repo, "add", "-A");
    expect(git(repo, "status", "--porcelain")).not.toContain("baton.db");
    const second = baton(repo, ["init", "--json"]);
    expect(second.json()).toMatchObject({ created: [], kept: expect.any(Array) });
  });

  it("refuses to run outside a repository or before init, with a hint", () => {
    const plain = tempDir();
    const outside = baton(plain, ["task", "list", "--json"]);
    expect(outside.code).toBe(1);
    expect(outside.json().error).toMatchObject({ code: "not_a_repository" });
    const repo = tempRepo({ init: false });
    const before = baton(repo, ["task", "list"]);
    expect(before.code).toBe(1);
    expect(before.stderr).toContain("baton init");
  });

  it("walks a task through add, claim, done with the documented JSON shapes", () => {
    const repo = tempRepo();
    const added = baton(
      repo,
      ["task", "add", "Fix login", "--priority", "1", "--tag", "web,auth", "--body", "details", "--json"],
      as("lead"),
    );
    expect(added.code).toBe(0);
    expect(added.json().task).toMatchObject({
      id: "T-1",
      title: "Fix login",
      priority: 1,
      tags: ["web", "auth"],
      status: "open",
    });
    const claim = baton(repo, ["task", "claim", "--json"], as("alice"));
    expect(Object.keys(claim.json()).sort()).toEqual(["task", "token"]);
    const token = claim.json().token as number;
    expect(claim.json().task).toMatchObject({ id: "T-1", holder: "alice", status: "claimed" });
    const empty = baton(repo, ["task", "claim", "--json"], as("bob"));
    expect(empty.json()).toEqual({ task: null, token: null });
    const stale = baton(repo, ["task", "done", "T-1", "--token", String(token + 1), "--json"], as("alice"));
    expect(stale.code).toBe(3);
    expect(stale.json().error).toMatchObject({ code: "lease_lost" });
    const done = baton(
      repo,
      ["task", "done", "t-1", "--token", String(token), "--result", "fixed", "--json"],
      as("alice"),
    );
    expect(done.json().task).toMatchObject({ status: "done", result: "fixed" });
    const show = baton(repo, ["task", "show", "T-1"]);
    expect(show.stdout).toContain("history");
    expect(show.stdout).toContain("alice completed T-1: fixed");
  });

  it("lists with --ready, --mine, --assignee and --status", () => {
    const repo = tempRepo();
    baton(repo, ["task", "add", "a"], as("lead"));
    baton(repo, ["task", "add", "b", "--after", "T-1"], as("lead"));
    baton(repo, ["task", "add", "c", "--assign", "carol", "--new"], as("lead")); // carol joins later
    baton(repo, ["task", "claim", "T-1"], as("alice"));
    const ids = (args: string[], who = "lead") =>
      (baton(repo, [...args, "--json"], as(who)).json().tasks as { id: string }[]).map((t) => t.id);
    expect(ids(["task", "list"])).toEqual(["T-1", "T-2", "T-3"]);
    expect(ids(["task", "list", "--ready"], "carol")).toEqual(["T-3"]);
    expect(ids(["task", "list", "--ready"], "dave")).toEqual([]);
    expect(ids(["task", "list", "--mine"], "alice")).toEqual(["T-1"]);
    expect(ids(["task", "list", "--assignee", "carol"])).toEqual(["T-3"]);
    expect(ids(["task", "list", "--status", "claimed"])).toEqual(["T-1"]);
    const bad = baton(repo, ["task", "list", "--status", "sleeping", "--json"]);
    expect(bad.code).toBe(2);
    expect(bad.json().error.hint).toContain("open");
  });

  it("fails back to the queue, releases, assigns, amends, cancels and manages dependencies", () => {
    const repo = tempRepo();
    const run = (args: string[], who = "alice") => baton(repo, [...args, "--json"], as(who));
    run(["task", "add", "a"]);
    run(["task", "add", "b"]);
    run(["task", "claim", "T-1"]);
    expect(run(["task", "fail", "T-1", "--reason", "flaky test"]).json().task).toMatchObject({
      status: "open",
      attempts: 1,
    });
    expect(run(["task", "fail", "T-1"]).code).toBe(2); // --reason is required
    run(["task", "claim", "T-1"]);
    expect(run(["task", "release", "T-1"]).json().task).toMatchObject({ status: "open", attempts: 1 });
    expect(run(["task", "assign", "T-1", "bob"]).code).toBe(4); // bob has not joined: a typo?
    run(["agent", "join", "bob"], "bob");
    expect(run(["task", "assign", "T-1", "bob"]).json().task).toMatchObject({ assignee: "bob" });
    expect(run(["task", "claim", "T-1"]).code).toBe(3);
    expect(run(["task", "unassign", "T-1"]).json().task).toMatchObject({ assignee: null });
    expect(run(["task", "dep", "add", "T-2", "T-1"]).json().task).toMatchObject({ dependsOn: ["T-1"] });
    const cycle = run(["task", "dep", "add", "T-1", "T-2"]);
    expect(cycle.code).toBe(2);
    expect(cycle.json().error).toMatchObject({ code: "dependency_cycle" });
    expect(run(["task", "dep", "rm", "T-2", "T-1"]).json().task).toMatchObject({ dependsOn: [] });
    expect(run(["task", "amend", "T-2", "also the API"]).json().task.remarks).toHaveLength(1);
    expect(run(["task", "cancel", "T-2", "--reason", "dup"]).json().task).toMatchObject({
      status: "cancelled",
    });
    expect(run(["task", "show", "T-9"]).code).toBe(4);
    expect(run(["task", "show", "nonsense"]).code).toBe(2);
  });

  it("--dry-run shows the change and keeps nothing", () => {
    const repo = tempRepo();
    const dry = baton(repo, ["task", "add", "x", "--dry-run", "--json"], as("a"));
    expect(dry.json()).toMatchObject({ task: { id: "T-1" }, dryRun: true });
    baton(repo, ["task", "add", "real"], as("a"));
    const claimDry = baton(repo, ["--dry-run", "task", "claim"], as("a"));
    expect(claimDry.stderr).toContain("dry run");
    expect(baton(repo, ["lock", "src/x.ts", "--dry-run"], as("a")).code).toBe(0);
    const list = baton(repo, ["task", "list", "--json"]).json().tasks as { id: string; status: string }[];
    expect(list).toEqual([expect.objectContaining({ id: "T-1", status: "open" })]);
    expect(baton(repo, ["locks", "--json"]).json().leases).toEqual([]);
  });

  it("locks all or nothing, names the holder on conflict (exit 3), and refuses paths outside", () => {
    const repo = tempRepo();
    mkdirSync(join(repo, "src/api"), { recursive: true });
    const mine = baton(repo, ["lock", "src/api", "README.md", "--intent", "refactor", "--json"], as("alice"));
    expect(mine.code).toBe(0);
    expect((mine.json().granted as { path: string }[]).map((l) => l.path)).toEqual([
      "src/api/**",
      "README.md",
    ]);
    const theirs = baton(repo, ["lock", "docs/x.md", "src/api/users.ts", "--json"], as("bob"));
    expect(theirs.code).toBe(3);
    expect(theirs.json()).toMatchObject({
      granted: [],
      conflicts: [{ holder: "alice", intent: "refactor", path: "src/api/users.ts" }],
    });
    const human = baton(repo, ["lock", "src/api/users.ts"], as("bob"));
    expect(human.stdout).toContain("alice");
    expect(human.stdout).toContain("refactor");
    const check = baton(join(repo, "src"), ["lock", "check", "api/users.ts", "--json"], as("bob"));
    expect(check.code).toBe(3);
    expect(check.json()).toMatchObject({ path: "src/api/users.ts", free: false });
    // Unlocking what you do not hold changes nothing and is not an error (alice keeps hers).
    expect(baton(repo, ["unlock", "README.md", "--json"], as("bob")).json()).toEqual({
      released: [],
      notHeld: ["README.md"],
    });
    expect(baton(repo, ["unlock", "README.md"], as("alice")).code).toBe(0);
    const forced = baton(repo, ["lock", "force-release", "src/api", "--yes", "--json"], as("human"));
    expect(forced.json().released).toHaveLength(1);
    expect(baton(repo, ["log", "--type", "lease.force_released", "--json"]).json().events).toHaveLength(1);
    for (const path of ["../outside", "/etc/passwd"]) {
      const refused = baton(repo, ["lock", path, "--json"], as("alice"));
      expect(refused.code).toBe(2);
      expect(refused.json().error).toMatchObject({ code: "outside_workspace" });
    }
  });

  it("tracks agents: join, heartbeat, agents, leave", () => {
    const repo = tempRepo();
    expect(
      baton(repo, ["agent", "join", "claude-1", "--role", "backend", "--kind", "claude", "--json"]).json()
        .agent,
    ).toMatchObject({
      name: "claude-1",
      kind: "claude",
      role: "backend",
    });
    expect(baton(repo, ["agent", "join", "x", "--kind", "robot"]).code).toBe(2);
    baton(repo, ["task", "add", "t"], as("claude-1"));
    baton(repo, ["task", "claim"], as("claude-1"));
    baton(repo, ["lock", "a.ts"], as("claude-1"));
    const beat = baton(repo, ["heartbeat", "--working-on", "T-1 tests", "--json"], as("claude-1")).json();
    expect(beat).toMatchObject({ renewedTasks: [{ id: "T-1" }], renewedLeases: [{ path: "a.ts" }] });
    const agents = baton(repo, ["agents", "--json"]).json().agents as Record<string, unknown>[];
    expect(agents).toEqual([
      expect.objectContaining({
        name: "claude-1",
        status: "busy",
        tasks: ["T-1"],
        leases: ["a.ts"],
        workingOn: "T-1 tests",
      }),
    ]);
    const left = baton(repo, ["agent", "leave", "--json"], as("claude-1")).json();
    expect(left).toMatchObject({ releasedTasks: ["T-1"], releasedLeases: ["a.ts"] });
  });

  it("writes and filters the log", () => {
    const repo = tempRepo();
    expect(baton(repo, ["log", "write", "decision", "keep SQLite"], as("lead")).code).toBe(0);
    baton(repo, ["task", "add", "x"], as("lead"));
    const decisions = baton(repo, ["log", "--type", "decision", "--json"]).json().events as {
      summary: string;
    }[];
    expect(decisions.map((e) => e.summary)).toEqual(["keep SQLite"]);
    expect((baton(repo, ["log", "--task", "T-1", "--json"]).json().events as unknown[]).length).toBe(1);
    expect(
      (baton(repo, ["log", "--since", "1h", "--agent", "lead", "--json"]).json().events as unknown[]).length,
    ).toBe(3);
    expect(baton(repo, ["log", "--since", "yesterday"]).code).toBe(2);
    expect(baton(repo, ["log", "write", "Bad Type", "x"], as("lead")).code).toBe(2);
    // baton's own event types cannot be forged: each would run hooks and tell live views of a change that never was.
    const before = (baton(repo, ["log", "--json"]).json().events as unknown[]).length;
    for (const type of RESERVED_EVENT_PREFIXES.flatMap((prefix) => [prefix, `${prefix}.added`])) {
      const forged = baton(repo, ["log", "write", type, "it happened", "--json"], as("lead"));
      expect(forged.code, type).toBe(2);
      expect(forged.json().error.message).toContain("baton's own event types");
    }
    expect((baton(repo, ["log", "--json"]).json().events as unknown[]).length).toBe(before);
    expect(baton(repo, ["log", "write", "tasks.note", "a type of our own"], as("lead")).code).toBe(0);
  });

  it("finds the same hub from a subfolder and from a linked worktree", () => {
    const repo = tempRepo();
    baton(repo, ["task", "add", "shared"], as("lead"));
    mkdirSync(join(repo, "deep/er"), { recursive: true });
    expect(baton(join(repo, "deep/er"), ["task", "list", "--json"]).json().tasks).toHaveLength(1);
    const worktree = join(tempDir(), "wt");
    git(repo, "worktree", "add", "-q", "-b", "feature", worktree);
    const claimed = baton(worktree, ["task", "claim", "--json"], as("wt-agent"));
    expect(claimed.json().task).toMatchObject({ id: "T-1" });
    expect(baton(repo, ["task", "list", "--status", "claimed", "--json"]).json().tasks).toHaveLength(1);
  });

  it("gives usage errors exit 2 with a hint, as JSON under --json", () => {
    const repo = tempRepo();
    const unknown = baton(repo, ["task", "list", "--bogus", "--json"]);
    expect(unknown.code).toBe(2);
    expect(unknown.json().error).toMatchObject({ code: "usage" });
    expect(baton(repo, ["task", "add", "   "], as("a")).code).toBe(2);
    expect(baton(repo, ["task", "add", "x", "--priority", "7"], as("a")).code).toBe(2);
    expect(baton(repo, ["task", "claim", "--ttl", "forever"], as("a")).code).toBe(2);
    expect(baton(repo, ["task", "add", "x", "--queue", "nope"], as("a")).code).toBe(4);
    const anonymous = baton(repo, ["task", "add", "x"]);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain("BATON_AGENT");
    expect(baton(repo, ["--help"]).stdout).toContain("Exit codes");
    expect(baton(repo, ["lock", "--help"]).stdout).toContain("Examples");
    expect(baton(repo, ["--as", "x", "task", "add", "y"]).stdout).not.toContain("\u001b[");
  });

  it("reads mai-cli's legacy queue names and refuses a broken config with its position", () => {
    const repo = tempRepo();
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({ queues: { requests: { prefix: "REQ", owner: "reviewer", sla_hours: 4 } } }),
    );
    expect(baton(repo, ["task", "add", "x", "--json"], as("a")).json().task).toMatchObject({
      id: "REQ-1",
      queue: "requests",
    });
    writeFileSync(
      join(repo, ".baton/config.json"),
      '{\n  "queues": {\n    "tasks": { "prefix": "T", }\n  \n',
    );
    const broken = baton(repo, ["task", "list", "--json"]);
    expect(broken.code).toBe(2);
    expect(broken.json().error.message).toMatch(/line \d+/);
  });

  it("refuses a corrupt or newer database without touching it", () => {
    // No hub even under BATON_TEST_HUB: one would have opened the file before it was overwritten, and
    // SQLite answers a connection that is open from its cache; this is about opening a damaged file.
    const repo = tempRepo({ hub: false });
    const db = join(repo, ".baton/baton.db");
    writeFileSync(
      db,
      "this is not a database, just text that is long enough to fill a header page".repeat(20),
    );
    const before = readFileSync(db, "utf8");
    const corrupt = baton(repo, ["task", "list", "--json"]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.json().error).toMatchObject({ code: "store_corrupt" });
    expect(readFileSync(db, "utf8")).toBe(before);

    const newer = join(tempDir(), "newer.db");
    const handle = openDatabase(newer);
    handle.exec("PRAGMA user_version = 999");
    handle.close();
    const tooNew = baton(repo, ["task", "list", "--store", newer, "--json"]);
    expect(tooNew.json().error).toMatchObject({ code: "store_too_new" });
    expect(
      baton(repo, ["task", "list", "--store", "redis://127.0.0.1:6379", "--json"]).json().error,
    ).toMatchObject({
      code: "unsupported",
    });
  });
});

describe("baton CLI: guardian and dry-run joins", () => {
  it("agent join --dry-run shows the agent without registering it", () => {
    const repo = tempRepo();
    const dry = baton(repo, ["agent", "join", "ghost", "--kind", "claude", "--dry-run", "--json"]);
    expect(dry.json()).toMatchObject({ agent: { name: "ghost", kind: "claude" }, dryRun: true });
    expect(baton(repo, ["agents", "--json"]).json().agents).toEqual([]);
  });

  it("guardian --once sweeps an expired claim into the log and reports it", async () => {
    const repo = tempRepo();
    baton(repo, ["task", "add", "t"], { BATON_AGENT: "lead" });
    baton(repo, ["task", "claim", "--ttl", "200ms"], { BATON_AGENT: "sleepy" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const swept = baton(repo, ["guardian", "--once", "--json"]);
    expect(swept.code).toBe(0);
    expect(swept.json()).toEqual({
      expiredTasks: ["T-1"],
      expiredLeases: [],
      hungAgents: [],
      escalatedTasks: [],
    });
    const again = baton(repo, ["guardian", "--once"]);
    expect(again.stdout).toContain("nothing expired");
  });

  it("a holder can always release what it holds, by the key it was granted under, even after a symlink or a removed folder", () => {
    const repo = tempRepo();
    const as = (agent: string) => ({ BATON_AGENT: agent });
    mkdirSync(join(repo, "src"));
    writeFileSync(join(repo, "src", "a.ts"), "");
    expect(baton(repo, ["lock", "later/a.ts"], as("a")).code).toBe(0);
    symlinkSync("src", join(repo, "later"));
    // `later/a.ts` now leads to src/a.ts: a's lease covers it under that name too.
    expect(baton(repo, ["lock", "src/a.ts"], as("b")).code).toBe(3);
    expect(baton(repo, ["lock", "force-release", "later/a.ts", "--yes"], as("lea")).code).toBe(0);
    expect(baton(repo, ["lock", "src/a.ts"], as("b")).code).toBe(0);
    const leases = () =>
      baton(repo, ["locks", "--json"])
        .json()
        .leases.map((l: { path: string; holder: string }) => `${l.path} ${l.holder}`);
    expect(leases()).toEqual(["src/a.ts b"]);
    mkdirSync(join(repo, "vend"));
    expect(baton(repo, ["lock", "vend/x.js", "gen/"], as("a")).code).toBe(0);
    rmSync(join(repo, "vend"), { recursive: true });
    symlinkSync(tempDir(), join(repo, "vend"));
    expect(baton(repo, ["unlock", "vend/x.js", "gen"], as("a")).code).toBe(0);
    expect(leases()).toEqual(["src/a.ts b"]);
  });

  it("ends quietly when its reader closes the pipe early", async () => {
    const repo = tempRepo();
    // `baton task --help | head -1`, with argv arrays: head reads a line and leaves.
    const head = spawn("head", ["-1"], { stdio: ["pipe", "pipe", "inherit"] });
    const child = spawn(process.execPath, [CLI, "task", "--help"], {
      cwd: repo,
      stdio: ["ignore", head.stdin, "pipe"],
    });
    head.stdin.destroy();
    let stderr = "";
    child.stderr!.on("data", (chunk) => {
      stderr += chunk;
    });
    let line = "";
    head.stdout.on("data", (chunk) => {
      line += chunk;
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(line).toMatch(/^Usage: baton task/);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
