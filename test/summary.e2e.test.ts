import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, CLI, tempRepo } from "./helpers/temp-repo.js";

const as = (name: string) => ({ BATON_AGENT: name });

function run(repo: string, args: string[], agent: string): Promise<number | null> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: repo,
    env: { ...process.env, BATON_AGENT: agent },
    stdio: "ignore",
  });
  return new Promise((resolve) => child.on("close", resolve));
}

describe("daily summary", () => {
  it("opens the round once, takes concurrent entries from many agents, and collects them in the configured order", async () => {
    const repo = tempRepo();
    writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ daily_summary_order: ["lead", "zoe"] }));
    const writers = Array.from({ length: 6 }, (_, i) => `agent-${i}`);
    for (const name of [...writers, "zoe"]) baton(repo, ["agent", "join", name]);
    expect(baton(repo, ["summary", "write", "too early"], as("zoe")).code).toBe(1);
    const opened = baton(repo, ["summary", "trigger", "--json"], as("lead")).json();
    expect(opened.created).toBe(true);
    expect(baton(repo, ["summary", "trigger", "--json"], as("lead")).json().created).toBe(false);
    expect(baton(repo, ["inbox", "--json"], as("agent-3")).json().messages[0].body).toContain(
      "Daily summary",
    );

    baton(repo, ["task", "add", "Ship the login"], as("lead"));
    baton(repo, ["task", "add", "Flaky import"], as("lead"));
    baton(repo, ["task", "claim", "T-1"], as("agent-0"));
    baton(repo, ["task", "done", "T-1", "--result", "merged"], as("agent-0"));
    baton(repo, ["task", "claim", "T-2"], as("agent-1"));
    baton(repo, ["task", "fail", "T-2", "--reason", "upstream down"], as("agent-1"));
    baton(repo, ["log", "write", "decision", "keep SQLite"], as("lead"));

    const codes = await Promise.all(
      writers.map((name) => run(repo, ["summary", "write", `${name} did things`], name)),
    );
    expect(codes).toEqual(writers.map(() => 0));
    await run(repo, ["summary", "write", "first draft"], "lead");
    await run(repo, ["summary", "write", "final words"], "lead"); // rewriting replaces
    const round = baton(repo, ["summary", "collect", "--json"], as("lead")).json().round;
    expect(round.entries).toHaveLength(7);
    const report: string = round.report;
    const headings = [...report.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(["lead", "zoe", ...writers]);
    expect(report).toContain("final words");
    expect(report).not.toContain("first draft");
    expect(report).toContain("_No entry._"); // zoe never wrote
    expect(report).toMatch(/## Completed \(1\)\n\n- T-1 Ship the login — agent-0: merged/);
    expect(report).toMatch(/## Failed \(1\)\n\n- T-2 Flaky import/);
    expect(report).toMatch(/## Decisions \(1\)\n\n- \d\d:\d\d lead: keep SQLite/);
    expect(baton(repo, ["summary", "show"]).stdout).toContain("# Daily summary");
    expect(baton(repo, ["summary", "show", "2020-01-01"]).code).toBe(4);
    expect(baton(repo, ["summary", "show", "yesterday"]).code).toBe(2);
  });
});
