import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { displayWidth } from "../src/cli/text-width.js";
import { baton, CLI, succeedsAs, tempRepo, testHome } from "./helpers/temp-repo.js";
import { Terminal } from "./helpers/terminal.js";

function team() {
  const repo = tempRepo({ humans: ["lea", "max"] });
  const as = succeedsAs(repo);
  as("lea", "agent", "join", "lea", "--kind", "human");
  as("max", "agent", "join", "max", "--kind", "human");
  as(
    "alice",
    "task",
    "add",
    "Refactor the login redirect so that it survives a reload of the page and a back button",
  );
  as("alice", "task", "add", "Write the release notes", "--after", "T-1");
  as("alice", "task", "claim", "T-1");
  as("alice", "lock", "src/auth/login.ts", "--intent", "refactor");
  as("alice", "heartbeat", "--working-on", "moving the redirect into the session middleware");
  as(
    "bob",
    "ask",
    "Which store should the session cache use in production?",
    "--options",
    "sqlite,redis",
    "--task",
    "T-1",
  );
  as("bob", "approval", "request", "deploy the login change to staging");
  as("bob", "send", "lea", "T-1 needs your eyes before noon", "--urgent");
  as("bob", "task", "escalate", "T-2", "--reason", "blocked for a day");
  return { repo, as };
}

/** Polls `check` until it holds or `ms` pass; returns whether it held. */
async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe("baton status", () => {
  it("shows a human what waits for them, urgent first then oldest, and the team", () => {
    const { repo } = team();
    const { status } = baton(repo, ["--as", "lea", "--json", "status"]).json();
    expect(status.you).toEqual({ name: "lea", kind: "human" });
    // Urgent (the escalation, the urgent message) first, each group oldest first.
    expect(status.waiting.map((w: { id: string }) => w.id)).toEqual(["M-1", "E-1", "Q-1", "A-1"]);
    expect(status.waiting.find((w: { id: string }) => w.id === "Q-1")).toMatchObject({
      kind: "question",
      from: "bob",
      task: "T-1",
    });
    expect(status.tasks.claimed.map((t: { id: string }) => t.id)).toEqual(["T-1"]);
    expect(status.leases.map((l: { path: string }) => l.path)).toEqual(["src/auth/login.ts"]);
    const text = baton(repo, ["--as", "lea", "status"]).stdout;
    expect(text).toMatch(/Waiting for you \(lea\): 4/);
    expect(text).toMatch(/alice\s+busy\s+T-1\s+moving the redirect/);
    expect(text).not.toMatch(/^\s+lea\s/m); // the humans are not listed as agents
  });

  it("`baton` with no command is `baton status`, global options included", () => {
    const { repo } = team();
    const plain = baton(repo, ["--as", "lea", "--json"]).json();
    const named = baton(repo, ["--as", "lea", "--json", "status"]).json();
    // Looking counts as being seen: only the clock and last-seen times may differ.
    const still = (status: { agents: { lastSeenAt: number }[] }) => ({
      ...status,
      at: 0,
      agents: status.agents.map((a) => ({ ...a, lastSeenAt: 0 })),
    });
    expect(still(plain.status)).toEqual(still(named.status));
    expect(baton(repo, ["--as", "lea"]).stdout).toMatch(/Waiting for you/);
    // Still an error for a typo, with a suggestion, not a status.
    const typo = baton(repo, ["stauts"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/status/);
  });

  it("shows an agent its own work and unread messages, not the humans' queue", () => {
    const { repo, as } = team();
    as("bob", "send", "alice", "rebase on main first");
    const { status } = baton(repo, ["--as", "alice", "--json", "status"]).json();
    expect(status.waiting.map((w: { kind: string }) => w.kind)).toEqual(["message"]);
    const text = baton(repo, ["--as", "alice", "status"]).stdout;
    expect(text).toMatch(/You \(alice\): T-1 \(claim ends in/);
    expect(text).toMatch(/rebase on main first/);
    expect(text).not.toMatch(/Q-1/);
  });

  it("fits 40 and 80 columns: every line cut with an ellipsis instead of wrapping", () => {
    const { repo } = team();
    for (const columns of [40, 80, 120]) {
      const out = baton(repo, ["--as", "lea", "status"], { COLUMNS: String(columns) }).stdout;
      for (const line of out.split("\n"))
        expect(displayWidth(line), `${columns}: ${line}`).toBeLessThanOrEqual(columns);
      if (columns < 120) expect(out).toContain("…");
      // The ids a person acts on survive the cut.
      for (const id of ["M-1", "E-1", "Q-1", "A-1", "alice"]) expect(out, `${columns}`).toContain(id);
    }
    for (const args of [["task", "list"], ["agents"], ["locks"]]) {
      const out = baton(repo, ["--as", "lea", ...args], { COLUMNS: "40" }).stdout;
      for (const line of out.split("\n"))
        expect(displayWidth(line), `${args}: ${line}`).toBeLessThanOrEqual(40);
    }
    // A pipe without COLUMNS gets every character.
    expect(baton(repo, ["--as", "lea", "task", "list"], { COLUMNS: undefined }).stdout).toContain(
      "and a back button",
    );
  });

  it("escalations wait until a human resolves them; a human's own escalation is no notice to themself", () => {
    const { repo, as } = team();
    as("lea", "task", "escalate", "T-1", "--reason", "I want max to look");
    // lea gets bob's escalation, not her own; max gets both.
    const leaInbox = baton(repo, ["--as", "lea", "--json", "inbox", "--all"]).json();
    expect(leaInbox.messages.filter((m: { kind: string }) => m.kind === "escalation").length).toBe(1);
    const maxInbox = baton(repo, ["--as", "max", "--json", "inbox"]).json();
    expect(maxInbox.messages.filter((m: { kind: string }) => m.kind === "escalation").length).toBe(2);
    const refused = baton(repo, ["--as", "alice", "resolve", "E-1"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/forbidden/);
    as("max", "resolve", "E-1", "--yes", "--note", "unblocked T-1");
    const open = baton(repo, ["--as", "lea", "--json", "escalations", "--open"]).json().escalations;
    expect(open.map((e: { id: string }) => e.id)).toEqual(["E-2"]);
    // A finished task's escalation waits for nobody.
    as("alice", "task", "done", "T-1", "--result", "done");
    expect(baton(repo, ["--as", "lea", "--json", "escalations", "--open"]).json().escalations).toEqual([]);
    const all = baton(repo, ["--as", "lea", "--json", "escalations"]).json().escalations;
    expect(all[0]).toMatchObject({ id: "E-1", resolvedBy: "max", note: "unblocked T-1", open: false });
    expect(baton(repo, ["--as", "lea", "log", "--type", "escalation."]).stdout).toMatch(
      /max resolved E-1 \(T-2\): unblocked T-1/,
    );
  });

  it("a human's inbox holds the open questions and approvals too", () => {
    const { repo } = team();
    const inbox = baton(repo, ["--as", "lea", "--json", "inbox"]).json();
    expect(inbox.waiting.map((w: { id: string }) => w.id)).toEqual(["E-1", "Q-1", "A-1"]);
    expect(baton(repo, ["--as", "lea", "inbox"]).stdout).toMatch(/Q-1 question bob \(T-1\): Which store/);
    // An agent's inbox does not.
    expect(baton(repo, ["--as", "alice", "--json", "inbox"]).json().waiting).toBeUndefined();
  });

  it("--watch redraws in place on a real 80-column terminal as things change, and Ctrl-C ends it", async () => {
    const { repo, as } = team();
    const term = Terminal.start(
      repo,
      ["--as", "lea", "status", "--watch", "1s"],
      {},
      { width: 80, height: 30 },
    );
    await term.until((screen) => screen.includes("Waiting for you (lea): 4"), "the first status");
    as("carol", "ask", "Ship on Friday?");
    const screen = await term.until(
      (screen) => screen.includes("Waiting for you (lea): 5"),
      "the new question",
    );
    expect(screen).toContain("Ship on Friday?");
    // Redrawn in place: the header appears once, not once per refresh.
    expect(screen.split("Waiting for you").length - 1).toBe(1);
    for (const line of screen.split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    term.press("C-c");
    expect((await term.finished()).code).toBe(0);
  });

  it("--watch --json prints one document per change", async () => {
    const { repo, as } = team();
    const child = spawn(process.execPath, [CLI, "--as", "lea", "--json", "status", "--watch", "1s"], {
      cwd: repo,
      env: { ...process.env, HOME: testHome(), BATON_AGENT: undefined },
    });
    const lines: string[] = [];
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      lines.push(...parts);
    });
    try {
      expect(await eventually(() => lines.length === 1)).toBe(true);
      as("carol", "ask", "Ship on Friday?");
      expect(await eventually(() => lines.length === 2)).toBe(true);
      const [first, second] = lines.map((line) => JSON.parse(line).status);
      expect(second.waiting.length).toBe(first.waiting.length + 1);
    } finally {
      child.kill("SIGINT");
    }
  });
});
