import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, tempRepo } from "./helpers/temp-repo.js";

const as = (name: string) => ({ BATON_AGENT: name });
const node = process.execPath;

function withHooks(repo: string, hooks: unknown[]): void {
  writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ hooks }));
}

function claimed(repo: string): void {
  baton(repo, ["task", "add", "Fix the build"], as("lead"));
  baton(repo, ["task", "claim", "T-1"], as("bot"));
}

describe("quality gates and hooks", () => {
  it("a passing gate lets the completion through", () => {
    const repo = tempRepo();
    withHooks(repo, [{ on: "task.completed", run: [node, "-e", "process.exit(0)"], gate: true }]);
    claimed(repo);
    expect(baton(repo, ["task", "done", "T-1"], as("bot")).code).toBe(0);
    expect(baton(repo, ["task", "show", "T-1", "--json"]).json().task.status).toBe("done");
  });

  it("a failing gate turns the completion down: the task stays claimed and its output becomes a remark", () => {
    const repo = tempRepo();
    const gate =
      "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const e=JSON.parse(s);console.log('2 tests failed in '+e.task.id);process.exit(1)})";
    withHooks(repo, [{ on: "task.completed", run: [node, "-e", gate], gate: true }]);
    claimed(repo);
    const refused = baton(repo, ["task", "done", "T-1", "--json"], as("bot"));
    expect(refused.code).toBe(1);
    expect(refused.json().error).toMatchObject({ code: "gate_failed" });
    const task = baton(repo, ["task", "show", "T-1", "--json"]).json().task;
    expect(task).toMatchObject({ status: "claimed", holder: "bot" });
    expect(task.remarks[0].text).toContain("exited with code 1");
    expect(task.remarks[0].text).toContain("2 tests failed in T-1");
  });

  it("a hanging gate is stopped at its timeout and counts as a refusal", () => {
    const repo = tempRepo();
    withHooks(repo, [
      {
        on: "task.completed",
        run: [node, "-e", "setInterval(() => {}, 1000)"],
        timeout: "300ms",
        gate: true,
      },
    ]);
    claimed(repo);
    const refused = baton(repo, ["task", "done", "T-1", "--json"], as("bot"));
    expect(refused.json().error.message).toContain("timed out");
    expect(baton(repo, ["task", "show", "T-1", "--json"]).json().task.status).toBe("claimed");
  });

  it("runs plain hooks after the change with the event on stdin, and logs a failing one", () => {
    const repo = tempRepo();
    const out = join(repo, "events.jsonl");
    const record = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>require('fs').appendFileSync(${JSON.stringify(out)},s))`;
    withHooks(repo, [
      { on: "task.claimed", run: [node, "-e", record] },
      { on: "agent.idle", run: [node, "-e", record] },
      { on: "question.asked", run: [node, "-e", record] },
      { on: "task.completed", run: [node, "-e", "process.exit(3)"] },
    ]);
    claimed(repo);
    baton(repo, ["ask", "ok to merge?"], as("bot"));
    expect(baton(repo, ["task", "done", "T-1"], as("bot")).code).toBe(0); // a plain hook cannot refuse
    const events = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.map((e) => e.type)).toEqual(["task.claimed", "question.asked", "agent.idle"]);
    expect(events[0]).toMatchObject({ actor: "bot", task: { id: "T-1" }, token: expect.any(Number) });
    expect(events[2]).toMatchObject({ agent: "bot" });
    const failed = baton(repo, ["log", "--type", "hook.failed", "--json"]).json().events;
    expect(failed).toMatchObject([{ subject: "task.completed", data: { code: 3 } }]);
  });

  it("refuses a malformed hook in the config, naming it", () => {
    const repo = tempRepo();
    withHooks(repo, [{ on: "task.claimed", run: "npm test" }]);
    const result = baton(repo, ["task", "list", "--json"]);
    expect(result.code).toBe(2);
    expect(result.json().error.message).toContain("hooks[0].run");
    withHooks(repo, [{ on: "task.claimed", run: ["true"], gate: true }]);
    expect(baton(repo, ["task", "list", "--json"]).json().error.message).toContain(
      "only a hook on task.completed can be a gate",
    );
    expect(existsSync(join(repo, "events.jsonl"))).toBe(false);
  });
});
