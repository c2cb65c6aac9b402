import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { baton, CLI, tempRepo, testHome } from "./helpers/temp-repo.js";

const as = (name: string) => ({ BATON_AGENT: name });
const configOf = (repo: string) => readFileSync(join(repo, ".baton/config.json"), "utf8");
/** The comment lines of a JSONC text, in order. */
const comments = (text: string) => text.split("\n").filter((line) => line.trim().startsWith("//"));

describe("bare command groups", () => {
  it("print their help on stdout with exit 0 and no error line", () => {
    const repo = tempRepo({ humans: ["lea"] });
    // Bare `baton` shows the status (test/status.e2e.test.ts); its help is `baton --help`.
    for (const group of [
      ["--help"],
      ["task"],
      ["task", "dep"],
      ["agent"],
      ["channel"],
      ["approval"],
      ["queue"],
      ["summary"],
    ]) {
      const result = baton(repo, group);
      expect(result.code, group.join(" ")).toBe(0);
      expect(result.stderr, group.join(" ")).toBe("");
      expect(result.stdout).toContain(
        `Usage: baton ${group.filter((w) => w !== "--help").join(" ")}`.trimEnd(),
      );
      expect(result.stdout).toMatch(/Examples:|Getting started:/);
    }
    const typo = baton(repo, ["task", "clam"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Did you mean claim?");
  });
});

describe("baton queue add|edit|rm", () => {
  it("adds, edits and removes queues, keeping every comment of the file", () => {
    const repo = tempRepo({ humans: ["lea"] });
    const before = configOf(repo);
    const added = baton(repo, ["queue", "add", "bugs", "--prefix", "BUG", "--sla", "4h", "--json"]);
    expect(added.code, added.stdout).toBe(0);
    expect(added.json()).toMatchObject({
      queue: { name: "bugs", prefix: "BUG", slaMinutes: 240, handler: null, claimPolicy: "open" },
      defaultQueue: "tasks",
      changed: true,
    });
    expect(comments(configOf(repo))).toEqual(comments(before));
    expect(
      baton(repo, ["task", "add", "Crash on save", "--queue", "bugs", "--json"], as("lea")).json().task,
    ).toMatchObject({
      id: "BUG-1",
      queue: "bugs",
    });
    const edited = baton(repo, [
      "queue",
      "edit",
      "bugs",
      "--handler",
      "triage",
      "--claim-policy",
      "handler-only",
      "--no-sla",
      "--default",
      "--json",
    ]);
    expect(edited.json()).toMatchObject({
      queue: { handler: "triage", claimPolicy: "handler-only", slaMinutes: null },
      defaultQueue: "bugs",
    });
    // The default queue now: a task added without --queue goes to bugs.
    expect(baton(repo, ["task", "add", "No queue named", "--json"], as("lea")).json().task.id).toBe("BUG-2");
    expect(
      baton(repo, ["task", "list", "--json"])
        .json()
        .tasks.map((t: { id: string }) => t.id),
    ).toEqual(["BUG-1", "BUG-2"]);
    // Handler-only now: an agent without the role may not claim.
    expect(baton(repo, ["task", "claim", "BUG-1", "--json"], as("bob")).json().error).toMatchObject({
      code: "forbidden",
    });
    expect(baton(repo, ["queue", "edit", "bugs", "--json"]).json().error).toMatchObject({ code: "usage" });
    // Again the same: nothing written.
    const text = configOf(repo);
    expect(baton(repo, ["queue", "edit", "bugs", "--handler", "triage", "--json"]).json().changed).toBe(
      false,
    );
    expect(configOf(repo)).toBe(text);
    // Removal: not while it holds unfinished tasks, not while it is the default.
    const busy = baton(repo, ["queue", "rm", "bugs", "--json"]);
    expect(busy.json().error).toMatchObject({
      code: "invalid_state",
      details: { tasks: ["BUG-1", "BUG-2"] },
    });
    for (const id of ["BUG-1", "BUG-2"]) baton(repo, ["task", "cancel", id, "--yes"], as("lea"));
    const isDefault = baton(repo, ["queue", "rm", "bugs", "--json"]);
    expect(isDefault.json().error).toMatchObject({ code: "invalid_state" });
    expect(isDefault.json().error.hint).toContain("baton queue edit tasks --default");
    baton(repo, ["queue", "edit", "tasks", "--default"]);
    expect(baton(repo, ["queue", "rm", "bugs"]).code).toBe(0);
    expect(configOf(repo)).not.toContain('"bugs"');
    expect(comments(configOf(repo))).toEqual(comments(before));
    expect(
      baton(repo, ["queue", "check", "--json"])
        .json()
        .queues.map((q: { queue: string }) => q.queue),
    ).toEqual(["tasks"]);
    expect(baton(repo, ["queue", "rm", "tasks", "--json"]).json().error).toMatchObject({
      code: "invalid_state",
    });
  });

  it("refuses what would not load, and changes no byte of the file", () => {
    const repo = tempRepo({ humans: ["lea"] });
    const attempts: [string[], number][] = [
      [["Bugs", "--prefix", "BUG"], 2],
      [["a b", "--prefix", "AB"], 2],
      [["__proto__", "--prefix", "P"], 2],
      [["x".repeat(33), "--prefix", "X"], 2],
      [["-x", "--prefix", "X"], 2],
      [["", "--prefix", "E"], 2],
      [["a\nb", "--prefix", "AB"], 2],
      [['q"', "--prefix", "Q"], 2],
      [["0abc", "--prefix", "Z"], 2],
      [["ok", "--prefix", "bug"], 2],
      [["ok", "--prefix", "B-1"], 2],
      [["ok", "--prefix", "T"], 2], // the tasks queue's prefix
      [["ok", "--prefix", "TOOLONGPREFIX"], 2],
      [["ok", "--prefix", "OK", "--sla", "-5m"], 2],
      [["ok", "--prefix", "OK", "--sla", "soon"], 2],
      [["ok", "--prefix", "OK", "--claim-policy", "closed"], 2],
      [["ok", "--prefix", "OK", "--claim-policy", "handler-only"], 2], // no handler
      [["ok"], 2], // no prefix
      [["ok", "--prefix", "OK", "--handler", "two words"], 2],
      [["ok", "--prefix", "OK", "--handler", "line\nbreak"], 2],
      [["ok", "--prefix", "OK", "--handler", ""], 2],
      [["tasks", "--prefix", "TT"], 3], // exists
    ];
    const before = configOf(repo);
    for (const [args, code] of attempts) {
      const result = baton(repo, ["queue", "add", ...args, "--json"]);
      expect(result.code, JSON.stringify(args)).toBe(code);
      expect(result.json().error.hint.length).toBeGreaterThan(0);
      expect(configOf(repo), JSON.stringify(args)).toBe(before);
    }
    expect(baton(repo, ["queue", "edit", "nope", "--prefix", "N", "--json"]).code).toBe(4);
    expect(baton(repo, ["queue", "rm", "nope", "--json"]).code).toBe(4);
    expect(configOf(repo)).toBe(before);
  });

  it("a queue named like an inherited property is a queue like any other", () => {
    const repo = tempRepo({ humans: ["lea"] });
    // Before the fix, "constructor" matched Object.prototype.constructor: a crash, then "exists already".
    expect(
      baton(repo, ["task", "add", "x", "--queue", "constructor", "--json"], as("lea")).json().error,
    ).toMatchObject({
      code: "not_found",
    });
    expect(baton(repo, ["queue", "add", "constructor", "--prefix", "CON"]).code).toBe(0);
    expect(
      baton(repo, ["task", "add", "x", "--queue", "constructor", "--json"], as("lea")).json().task.id,
    ).toBe("CON-1");
  });

  it("--dry-run writes nothing; a file without queues keeps its built-in one; mai-cli's names give way", () => {
    const repo = tempRepo({ humans: ["lea"] });
    const before = configOf(repo);
    const dry = baton(repo, ["queue", "add", "bugs", "--prefix", "BUG", "--dry-run", "--json"]);
    expect(dry.json()).toMatchObject({ queue: { name: "bugs" }, dryRun: true });
    expect(configOf(repo)).toBe(before);
    writeFileSync(join(repo, ".baton/config.json"), `{\n  // only this\n  "claim_ttl": "20m"\n}\n`);
    expect(baton(repo, ["queue", "add", "bugs", "--prefix", "BUG"]).code).toBe(0);
    const text = configOf(repo);
    expect(text).toContain("// only this");
    expect(Object.keys(parse(text).queues)).toEqual(["tasks", "bugs"]);
    writeFileSync(
      join(repo, ".baton/config.json"),
      `{ "queues": { "ops": { "prefix": "OPS", "owner": "sre", "sla_hours": 2 } } }\n`,
    );
    const edited = baton(repo, ["queue", "edit", "ops", "--handler", "oncall", "--sla", "30m", "--json"]);
    expect(edited.json().queue).toMatchObject({ handler: "oncall", slaMinutes: 30 });
    expect(parse(configOf(repo)).queues.ops).toEqual({ prefix: "OPS", handler: "oncall", sla_minutes: 30 });
    // No config file at all: the defaults are written out first.
    rmSync(join(repo, ".baton/config.json"));
    expect(baton(repo, ["queue", "add", "bugs", "--prefix", "BUG"]).code).toBe(0);
    expect(Object.keys(parse(configOf(repo)).queues)).toEqual(["tasks", "bugs"]);
  });

  it("eight queue adds at once: none is lost", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const runs = Array.from({ length: 8 }, (_, i) => {
      const child = spawn(process.execPath, [CLI, "queue", "add", `q${i}`, "--prefix", `Q${i}`], {
        cwd: repo,
        env: { ...process.env, HOME: testHome(), NO_COLOR: "1" },
        stdio: "ignore",
      });
      return new Promise<number | null>((resolve) => child.on("close", resolve));
    });
    expect(await Promise.all(runs)).toEqual(Array(8).fill(0));
    const queues = Object.keys(parse(configOf(repo)).queues).sort();
    expect(queues).toEqual(["q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "tasks"]);
  });
});

describe("baton task edit|reopen", () => {
  it("edits title, body, priority and tags; says so when nothing changed; refuses nothing to change", () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["task", "add", "Fix login", "--tag", "web,later"], as("lea"));
    const edited = baton(
      repo,
      [
        "task",
        "edit",
        "t-1",
        "--title",
        "Fix the login redirect",
        "--priority",
        "0",
        "--tag",
        "urgent",
        "--untag",
        "later",
        "--body",
        "see #4",
        "--json",
      ],
      as("bob"),
    );
    expect(edited.json().task).toMatchObject({
      id: "T-1",
      title: "Fix the login redirect",
      priority: 0,
      body: "see #4",
      tags: ["web", "urgent"],
    });
    expect(baton(repo, ["task", "edit", "T-1", "--priority", "0"], as("bob")).stdout).toContain(
      "nothing changed",
    );
    for (const [args, code] of [
      [[], 2],
      [["--priority", "9"], 2],
      [["--title", "   "], 2],
      [["--title", "x".repeat(201)], 2],
      [["--tag", "bad tag"], 2],
    ] as [string[], number][]) {
      expect(baton(repo, ["task", "edit", "T-1", ...args], as("bob")).code, JSON.stringify(args)).toBe(code);
    }
    expect(baton(repo, ["task", "edit", "T-9", "--priority", "1"], as("bob")).code).toBe(4);
    const history = baton(repo, ["log", "--type", "task.edited", "--json"]).json().events;
    expect(history).toHaveLength(1);
  });

  it("reopens: anyone for failed, dead or cancelled; only a human for done", () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    baton(repo, ["agent", "join", "bot", "--kind", "codex"]);
    baton(repo, ["task", "add", "A"], as("lea"));
    baton(repo, ["task", "add", "B"], as("lea"));
    baton(repo, ["task", "claim", "T-1"], as("bot"));
    baton(repo, ["task", "done", "T-1", "--result", "shipped"], as("bot"));
    baton(repo, ["task", "cancel", "T-2", "--reason", "dup"], as("lea"));
    const refused = baton(repo, ["task", "reopen", "T-1", "--json"], as("bot"));
    expect(refused.code).toBe(6);
    expect(refused.json().error).toMatchObject({ code: "forbidden" });
    expect(refused.json().error.hint).toContain("baton task escalate T-1");
    const cancelled = baton(
      repo,
      ["task", "reopen", "T-2", "--reason", "not a dup after all", "--json"],
      as("bot"),
    );
    expect(cancelled.json().task).toMatchObject({ status: "open", attempts: 0, result: null });
    const done = baton(repo, ["task", "reopen", "T-1", "--reason", "broke Safari", "--json"], as("lea"));
    expect(done.json().task).toMatchObject({ status: "open", result: null, report: null });
    expect(baton(repo, ["task", "show", "T-1"]).stdout).toContain("Reopened: broke Safari");
    const open = baton(repo, ["task", "reopen", "T-1", "--json"], as("lea"));
    expect(open.json().error).toMatchObject({ code: "invalid_state" });
    expect(baton(repo, ["task", "claim", "T-1", "--json"], as("bot")).json().task.id).toBe("T-1");
  });

  it("refuses to reopen a task whose queue was removed: it would escape the queue's handler-only rule", () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    expect(
      baton(
        repo,
        ["queue", "add", "hq", "--prefix", "HQ", "--handler", "reviewer", "--claim-policy", "handler-only"],
        as("lea"),
      ).code,
    ).toBe(0);
    baton(repo, ["agent", "join", "rev", "--role", "reviewer"], as("rev"));
    baton(repo, ["task", "add", "secret", "--queue", "hq"], as("lea"));
    baton(repo, ["task", "cancel", "HQ-1", "--reason", "later"], as("lea"));
    expect(baton(repo, ["queue", "rm", "hq"], as("lea")).code).toBe(0);
    const reopened = baton(repo, ["task", "reopen", "HQ-1", "--json"], as("dev"));
    expect(reopened.json().error).toMatchObject({ code: "invalid_state", details: { queue: "hq" } });
    expect(baton(repo, ["task", "claim", "HQ-1", "--json"], as("dev")).code).not.toBe(0);
  });
});

describe("baton unlock", () => {
  it("is idempotent for what you do not hold; a lost token is still lease_lost", () => {
    const repo = tempRepo({ humans: ["lea"] });
    const mine = baton(repo, ["lock", "a.ts", "b.ts", "--json"], as("alice")).json().granted;
    baton(repo, ["lock", "c.ts"], as("bob"));
    const result = baton(repo, ["unlock", "a.ts", "c.ts", "never.ts", "--json"], as("alice"));
    expect(result.code).toBe(0);
    expect(result.json().released.map((l: { path: string }) => l.path)).toEqual(["a.ts"]);
    expect(result.json().notHeld).toEqual(["c.ts", "never.ts"]);
    expect(baton(repo, ["unlock", "a.ts"], as("alice")).stdout).toContain("not held by you: a.ts");
    expect(
      baton(repo, ["locks", "--json"])
        .json()
        .leases.map((l: { path: string }) => l.path),
    ).toEqual(["b.ts", "c.ts"]);
    const stale = baton(repo, ["unlock", "a.ts", "--token", String(mine[0].token), "--json"], as("alice"));
    expect(stale.code).toBe(3);
    expect(stale.json().error).toMatchObject({ code: "lease_lost" });
  });
});

describe("baton summary status", () => {
  it("names who has written and who has not yet", () => {
    const repo = tempRepo({ humans: ["lea"] });
    for (const name of ["ann", "ben", "cat"]) baton(repo, ["agent", "join", name]);
    expect(baton(repo, ["summary", "status", "--json"], as("lea")).code).toBe(4);
    baton(repo, ["summary", "trigger"], as("lea"));
    baton(repo, ["summary", "write", "shipped T-3"], as("ben"));
    const status = baton(repo, ["summary", "status", "--json"], as("lea")).json().status;
    expect(status).toMatchObject({ openedBy: "lea", collected: false, missing: ["ann", "cat"] });
    expect(status.written.map((w: { agent: string }) => w.agent)).toEqual(["ben"]);
    expect(baton(repo, ["summary", "status"], as("lea")).stdout).toContain("not yet: ann, cat");
  });
});
