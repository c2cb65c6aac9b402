import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { wakeDirFor } from "../src/notify/socket-notifier.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { baton, batonInBackground, tempRepo } from "./helpers/temp-repo.js";

/**
 * What follows a commit, from one path (the store's write, then the outbox):
 * waiters are woken by the commit itself, and hooks run once per event
 * whichever process committed it.
 */

/** A re-check every hour: a wait that ends within the test's time was woken by the commit, not by the timer. */
const NO_RECHECK = { BATON_RECHECK_MS: "3600000" };
const as = (name: string) => ({ BATON_AGENT: name, ...NO_RECHECK });

/** Resolves once process `pid` listens in the store's wake-up folder (it subscribed, so its first look is done or under way). */
async function listening(repo: string, pid: number): Promise<void> {
  const dir = wakeDirFor(`sqlite:${join(repo, ".baton", "baton.db")}`);
  for (let i = 0; i < 800; i++) {
    if (existsSync(dir) && readdirSync(dir).some((name) => name.includes(`.${pid}.`))) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`process ${pid} never started waiting`);
}

describe("after commit: wake-ups", () => {
  it("a waiter on an inbox is woken by the message's commit, with the safety re-check an hour away", async () => {
    const repo = tempRepo();
    baton(repo, ["agent", "join", "bob"]);
    const waiting = batonInBackground(repo, ["inbox", "--wait", "10m", "--json"], as("bob"));
    await listening(repo, waiting.child.pid!);
    expect(baton(repo, ["send", "bob", "schema merged"], as("alice")).code).toBe(0);
    const result = await waiting.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().messages.map((m: { body: string }) => m.body)).toEqual(["schema merged"]);
  }, 60_000);

  it("ask --wait is woken by the answer, and a human's inbox by a notice sent from deep inside a change", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    const asking = batonInBackground(repo, ["ask", "Which DB?", "--wait", "10m", "--json"], as("bot"));
    await listening(repo, asking.child.pid!);
    expect(baton(repo, ["answer", "Q-1", "postgres", "--yes"], as("lea")).code).toBe(0);
    const answered = await asking.done;
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.json().question).toMatchObject({ status: "answered", answer: "postgres" });

    // A failed task with a dependent tells the humans (blocked-tasks notice): their inbox wakes.
    baton(repo, ["task", "add", "base"], as("lead"));
    baton(repo, ["task", "add", "on top", "--after", "T-1"], as("lead"));
    baton(repo, ["inbox", "--ack"], as("lea"));
    const human = batonInBackground(repo, ["inbox", "--wait", "10m", "--json"], as("lea"));
    await listening(repo, human.child.pid!);
    baton(repo, ["task", "claim", "T-1"], as("bot"));
    // max attempts 3 by default: fail until the task is failed for good.
    for (let i = 0; i < 3; i++) {
      baton(repo, ["task", "claim", "T-1"], as("bot"));
      baton(repo, ["task", "fail", "T-1", "--reason", "broken"], as("bot"));
    }
    const notice = await human.done;
    expect(notice.code, notice.stderr).toBe(0);
    expect(notice.json().messages[0].body).toContain("T-2");
  }, 60_000);
});

describe("after commit: hooks from the event log", () => {
  const node = process.execPath;
  /** A hook that appends the event's seq and type to `file`: one line per run. */
  const recorder = (file: string) => [
    node,
    "-e",
    `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const e=JSON.parse(s);require('fs').appendFileSync(${JSON.stringify(file)},e.seq+' '+e.type+' '+(e.task?e.task.id:'')+'\\n')})`,
  ];
  const runs = (file: string) =>
    existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter(Boolean) : [];

  it("runs a hook exactly once for events committed by a process that never ran it, whoever drains next", async () => {
    const repo = tempRepo();
    const out = join(repo, "runs.txt");
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({ hooks: [{ on: "task.added", run: recorder(out) }] }),
    );
    // A first command with the hook configured: the hook's cursor starts here.
    expect(baton(repo, ["task", "add", "first"], as("lead")).code).toBe(0);
    expect(runs(out)).toEqual([expect.stringMatching(/ task.added T-1$/)]);

    // Commits by a process that dies before running any hook: the bare store, which has no outbox.
    const bare = new SqliteStore({ path: join(repo, ".baton", "baton.db") });
    for (const title of ["a", "b", "c"])
      await bare.addTask({ actor: "lost", prefix: "T", queue: "tasks", title, maxAttempts: 3 });
    await bare.close();
    expect(runs(out)).toHaveLength(1);

    // Four processes commit at once; between them every event's hook runs, and only once.
    const adders = ["w", "x", "y", "z"].map((title) =>
      batonInBackground(repo, ["task", "add", title], as("lead")),
    );
    for (const adder of adders) expect((await adder.done).code).toBe(0);
    const lines = runs(out);
    const seqs = lines.map((line) => Number(line.split(" ")[0]));
    expect(new Set(seqs).size).toBe(seqs.length); // none twice
    expect(lines.map((line) => line.split(" ")[2]).sort()).toEqual(
      ["T-1", "T-2", "T-3", "T-4", "T-5", "T-6", "T-7", "T-8"].sort(),
    );
  }, 60_000);

  it("a hook added to the config runs for what comes next, not for the past", () => {
    const repo = tempRepo();
    for (const title of ["old 1", "old 2"]) baton(repo, ["task", "add", title], as("lead"));
    const out = join(repo, "runs.txt");
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({ hooks: [{ on: "task.added", run: recorder(out) }] }),
    );
    baton(repo, ["task", "add", "new"], as("lead"));
    baton(repo, ["task", "list"], as("lead")); // a read drains nothing and runs nothing twice
    baton(repo, ["agent", "heartbeat"], as("lead"));
    expect(runs(out).map((line) => line.split(" ")[2])).toEqual(["T-3"]);
  });

  it("the guardian runs what is due: hooks of events nobody ran", async () => {
    const repo = tempRepo();
    const out = join(repo, "runs.txt");
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({ hooks: [{ on: "task.completed", run: recorder(out) }] }),
    );
    baton(repo, ["task", "add", "x"], as("lead"));
    baton(repo, ["task", "claim", "T-1"], as("bot"));
    const bare = new SqliteStore({ path: join(repo, ".baton", "baton.db") });
    await bare.completeTask({ actor: "bot", id: "T-1" });
    await bare.close();
    expect(runs(out)).toEqual([]);
    expect(baton(repo, ["guardian", "--once"]).code).toBe(0);
    expect(runs(out)).toEqual([expect.stringMatching(/ task.completed T-1$/)]);
  });
});
