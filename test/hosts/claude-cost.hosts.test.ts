import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton } from "../helpers/temp-repo.js";
import { startClaudeWork } from "./claude/work-run.js";
import { eventsOf, finishWork, HOST_VERSIONS, whileWorking } from "./kit.js";

/**
 * The real Claude Code, headless under `baton work`, against a fake model
 * that makes one tool call per request: Claude Code prices each request itself
 * (total_cost_usd) and baton passes what the task's cap leaves as
 * --max-budget-usd, so the host stops mid-task, at the cap, on its own.
 */

const TIMEOUT = 120_000;
const SCRIPT = [
  [{ tool: "Bash", args: { command: "touch one", description: "first file" } }],
  [{ tool: "Bash", args: { command: "touch two", description: "second file" } }],
  [{ tool: "Bash", args: { command: "touch three", description: "third file" } }],
  [{ tool: "Bash", args: { command: "touch four", description: "fourth file" } }],
  [{ text: "Done." }],
];

interface Question {
  id: string;
  text: string;
  task: string | null;
  options: string[];
}

const openQuestion = (repo: string): Question | undefined =>
  (baton(repo, ["questions", "--open", "--json"]).json().questions as Question[])[0];

describe(`Claude Code ${HOST_VERSIONS.claude!.version}: cost caps stop the agent and ask a human`, () => {
  it(
    "the task's cap stops the run mid-task; continue resumes the same session; stop fails the task naming the cap",
    async () => {
      // One request costs Claude Code's list price for 10 tokens in and 5 out: well under a
      // thousandth of a dollar. A cap of 0.0002 lets one request through, not three.
      const run = await startClaudeWork(SCRIPT, {
        permissions: { allow: [{ tool: "Bash", input: "touch *" }] },
        costs: { task_cap_usd: 0.0002 },
      });
      const first = await whileWorking(run, "a cap question", () => openQuestion(run.repo));
      expect(first).toMatchObject({ task: "T-1", options: ["continue", "stop"] });
      expect(first.text).toMatch(/task T-1 has cost \$0\.000\d, reaching its cap of \$0\.0002/);
      // Stopped mid-task: the script's later tools never ran.
      expect(existsSync(join(run.repo, "four"))).toBe(false);
      const mainRequests = run.fake.requests.filter((r) => r.kind === "main").length;
      expect(mainRequests).toBeLessThan(SCRIPT.length);
      // The claim is held while the human decides: no other worker could take the task.
      expect(baton(run.repo, ["task", "show", "T-1", "--json"]).json().task).toMatchObject({
        status: "claimed",
        holder: "worker",
      });
      const spent = baton(run.repo, ["cost", "T-1", "--json"]).json();
      expect(spent.total.usd).toBeGreaterThanOrEqual(0.0002);
      expect(spent.entries[0]).toMatchObject({ host: "claude", agent: "worker", estimated: false });
      expect(spent.entries[0].model).toMatch(/^claude-/);

      expect(baton(run.repo, ["answer", first.id, "continue", "--yes", "--as", "lea"]).code).toBe(0);
      // Resumed in its session: the next request carries the conversation so far and baton's note.
      const resumed = await whileWorking(run, "the resumed request", () =>
        run.fake.requests.find(
          (r) => r.kind === "main" && JSON.stringify(r.body.messages).includes("A human let you go on"),
        ),
      );
      expect(JSON.stringify(resumed.body.messages)).toContain("touch one");
      const runs = eventsOf(run.repo, "work.run");
      expect(runs[0]!.data.sessionId).toMatch(/^[0-9a-f-]{36}$/);

      // The allowance is one more cap's worth: the resumed run reaches it too, and asks again.
      const second = await whileWorking(run, "a second cap question", () => {
        const q = openQuestion(run.repo);
        return q && q.id !== first.id ? q : undefined;
      });
      expect(baton(run.repo, ["answer", second.id, "stop", "--yes", "--as", "lea"]).code).toBe(0);
      const result = await finishWork(run);
      expect(result.json().outcomes).toEqual([expect.objectContaining({ task: "T-1", status: "capped" })]);
      const task = baton(run.repo, ["task", "show", "T-1", "--json"]).json().task;
      expect(task.status).toBe("failed");
      expect(task.result).toContain("stopped at a cost cap: task T-1 has cost");
      expect(task.cost.turns).toBe(2);
      const logged = eventsOf(run.repo, "work.run");
      expect(logged.map((e) => e.data.resumed ?? null)).toEqual([null, runs[0]!.data.sessionId]);
      expect(eventsOf(run.repo, "work.cap")).toHaveLength(2);
    },
    TIMEOUT,
  );
});
