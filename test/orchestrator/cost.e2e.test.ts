import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, batonInBackground, CLI, type CliResult, tempRepo } from "../helpers/temp-repo.js";

const AGENT = resolve(import.meta.dirname, "../workers/task-agent.mjs");
const agentCommand = `'${process.execPath}' '${AGENT}' '${CLI}'`;

function repoWith(config: Record<string, unknown>): string {
  const repo = tempRepo();
  writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ humans: ["lea"], ...config }));
  expect(baton(repo, ["agent", "join", "lea", "--kind", "human"]).code).toBe(0);
  return repo;
}

interface Question {
  id: string;
  text: string;
  task: string | null;
  options: string[];
  askedBy: string;
}

async function openQuestion(repo: string, done: Promise<CliResult>): Promise<Question> {
  for (let i = 0; i < 300; i++) {
    const open = baton(repo, ["questions", "--open", "--json"]).json().questions as Question[];
    if (open.length) return open[0]!;
    const ended = await Promise.race([done, new Promise((r) => setTimeout(r, 100, undefined))]);
    if (ended) throw new Error(`the worker ended without asking: ${JSON.stringify(ended)}`);
  }
  throw new Error("no question within 30 s");
}

describe("the cost ledger", () => {
  it("charges turns to agents and tasks, prices tokens from the config (estimated), and shows them in cost, status and task show", () => {
    const repo = repoWith({ costs: { prices: { "gpt-5": { input: 2, output: 10 } }, task_cap_usd: 1 } });
    baton(repo, ["task", "add", "build it", "--as", "lea"]);
    const paid = baton(repo, [
      "cost",
      "add",
      "--usd",
      "0.25",
      "--task",
      "T-1",
      "--host",
      "claude",
      "--as",
      "ann",
      "--json",
    ]);
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.json()).toMatchObject({ entry: { usd: 0.25, estimated: false, task: "T-1" }, cap: null });
    // The longest price key the model starts with: gpt-5 for gpt-5-codex; 1M in at $2 + 100k out at $10.
    const priced = baton(repo, [
      "cost",
      "add",
      "--input-tokens",
      "1000000",
      "--output-tokens",
      "100000",
      "--model",
      "gpt-5-codex",
      "--host",
      "codex",
      "--task",
      "T-1",
      "--as",
      "bob",
      "--json",
    ]).json();
    expect(priced.entry).toMatchObject({ usd: 3, estimated: true, model: "gpt-5-codex" });
    // The task's cap ($1) is reached by this turn: the answer says so, from the same transaction's totals.
    expect(priced.cap).toMatchObject({ kind: "task", subject: "T-1", spent: 3.25, cap: 1 });
    // Tokens no table prices are kept, and counted apart, never given a made-up figure.
    const unpriced = baton(repo, [
      "cost",
      "add",
      "--input-tokens",
      "5",
      "--host",
      "mystery",
      "--as",
      "bob",
      "--json",
    ]).json();
    expect(unpriced.entry.usd).toBeNull();
    expect(unpriced.agent).toMatchObject({ usd: 3, unpriced: 1, turns: 2, estimated: true });

    const ledger = baton(repo, ["cost", "--json"]).json();
    expect(ledger.agents.ann).toMatchObject({ usd: 0.25, turns: 1, estimated: false });
    expect(ledger.agents.bob).toMatchObject({ usd: 3, turns: 2 });
    expect(ledger.caps).toEqual({ taskCapUsd: 1, agentCapUsd: null });
    const task = baton(repo, ["cost", "T-1", "--json"]).json();
    expect(task.total).toMatchObject({ usd: 3.25, turns: 2, estimated: true });
    expect(task.entries.map((e: { agent: string }) => e.agent)).toEqual(["bob", "ann"]);
    expect(baton(repo, ["task", "show", "T-1", "--json"]).json().task.cost).toMatchObject({ usd: 3.25 });
    expect(baton(repo, ["task", "show", "T-1"]).stdout).toMatch(/cost\s+~\$3\.25 over 2 turn/);
    const { status } = baton(repo, ["status", "--as", "lea", "--json"]).json();
    expect(status.agents.find((a: { name: string }) => a.name === "bob").cost.usd).toBe(3);
    expect(baton(repo, ["status", "--as", "lea"]).stdout).toMatch(/Cost: ~\$3\.25 .*over 3 turns/);
    // One event per turn, on the agent (a task's history is not a line per turn).
    expect(baton(repo, ["log", "--type", "cost.recorded", "--json"]).json().events).toHaveLength(3);
  });

  it("refuses bad amounts and a config with a bad price or cap, naming the key", () => {
    const repo = repoWith({});
    for (const args of [
      ["--usd", "-1"],
      ["--usd", "lots"],
      ["--usd", "Infinity"],
      ["--usd", "2000000"],
      // Number() reads these too; nobody means them as dollars or tokens.
      ["--usd", "0x10"],
      ["--usd", "0b11"],
      ["--input-tokens", "0o17"],
      [],
    ]) {
      const r = baton(repo, ["cost", "add", ...args, "--as", "ann"]);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(r.stderr).toMatch(/hint/);
    }
    expect(baton(repo, ["cost", "add", "--usd", "1", "--task", "T-99", "--as", "ann"]).stderr).toContain(
      "no task T-99",
    );
    // Looking up what does not exist says so, rather than "nothing spent yet".
    for (const [subject, said] of [
      ["T-99", "no task or agent 'T-99'"],
      ["nobody", "no agent 'nobody'"],
    ] as const) {
      const r = baton(repo, ["cost", subject]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(said);
    }
    for (const usd of ["0.25", "1e-2", ".5", " 3 "])
      expect(baton(repo, ["cost", "add", "--usd", usd, "--as", "ann"]).code, usd).toBe(0);
    expect(baton(repo, ["cost", "ann", "--json"]).json().agents.ann.usd).toBeCloseTo(3.76);
    for (const [costs, said] of [
      [{ task_cap_usd: -1 }, "costs.task_cap_usd"],
      [{ prices: { codex: { input: "cheap", output: 1 } } }, 'costs.prices["codex"].input'],
      [{ prices: { codex: { input: 1, output: 1, per: "token" } } }, '"per"'],
      [{ agent_cap: 5 }, 'did you mean "agent_cap_usd"'],
    ] as const) {
      writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ costs }));
      const r = baton(repo, ["cost"]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(said);
    }
  });
});

describe("the price table", () => {
  it("a model's price is data whatever its name: __proto__ and constructor are priced like any model", () => {
    const repo = repoWith({});
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({
        costs: {
          prices: JSON.parse(
            '{"__proto__": {"input": 1000, "output": 0}, "constructor": {"input": 2, "output": 0}}',
          ),
        },
      }),
    );
    const priced = (model: string) =>
      baton(repo, [
        "cost",
        "add",
        "--input-tokens",
        "1000000",
        "--model",
        model,
        "--as",
        "ann",
        "--json",
      ]).json().entry.usd;
    // A hostile run's "__proto__" price set the table's prototype and was lost: its tokens were unpriced.
    expect(priced("__proto__")).toBe(1000);
    expect(priced("constructor")).toBe(2);
    expect(priced("toString")).toBeNull();
  });
});

describe("cost caps in baton work", () => {
  it("an agent at its cap takes no more work until a human says continue; stop ends the worker with the task left in the queue", async () => {
    for (const answer of ["continue", "stop"]) {
      const repo = repoWith({ costs: { agent_cap_usd: 1 } });
      baton(repo, ["task", "add", "spend a dollar", "--as", "lea"]);
      baton(repo, ["task", "add", "tidy up", "--as", "lea", "--priority", "3"]);
      const { done } = batonInBackground(repo, [
        "work",
        "--agent",
        agentCommand,
        "--as",
        "ci",
        "--until-empty",
        "--json",
      ]);
      const question = await openQuestion(repo, done);
      expect(question).toMatchObject({ askedBy: "ci", task: null, options: ["continue", "stop"] });
      expect(question.text).toContain("agent ci has cost $1.00, reaching its cap of $1.00");
      // It asked before taking the next task: T-2 is still open, not claimed.
      expect(baton(repo, ["task", "show", "T-2", "--json"]).json().task.status).toBe("open");
      const me = baton(repo, ["status", "--as", "lea", "--json"])
        .json()
        .status.agents.find((a: { name: string }) => a.name === "ci");
      expect(me.activity).toMatchObject({ state: "waiting", signal: "baton:cost-cap" });
      expect(baton(repo, ["answer", question.id, answer, "--as", "lea", "--yes"]).code).toBe(0);
      const run = await done;
      const outcomes = run.json().outcomes as { task: string; status: string }[];
      if (answer === "continue") {
        expect(outcomes.map((o) => [o.task, o.status])).toEqual([
          ["T-1", "done"],
          ["T-2", "done"],
        ]);
      } else {
        expect(outcomes.map((o) => [o.task, o.status])).toEqual([["T-1", "done"]]);
        expect(baton(repo, ["task", "show", "T-2", "--json"]).json().task.status).toBe("open");
      }
      expect(baton(repo, ["log", "--type", "work.cap", "--json"]).json().events).toHaveLength(1);
    }
  }, 60_000);
});
