import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, CLI, tempRepo } from "./helpers/temp-repo.js";

const as = (name: string) => ({ BATON_AGENT: name });

/** Runs a baton command in the background and resolves with its exit code and JSON. */
function background(repo: string, args: string[], agent: string) {
  const child = spawn(process.execPath, [CLI, ...args, "--json"], {
    cwd: repo,
    env: { ...process.env, BATON_AGENT: agent },
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  return new Promise<{
    code: number | null;
    body: Record<string, { status: string; answer?: string; note?: string }>;
  }>((resolve) => {
    child.on("close", (code) => resolve({ code, body: JSON.parse(stdout) }));
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error("condition never became true");
}

describe("the human in the loop, end to end", () => {
  it("ask --wait in one process is answered by `baton answer` in another", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    const asking = background(
      repo,
      ["ask", "Which DB?", "--options", "sqlite,postgres", "--wait", "30s"],
      "bot",
    );
    await until(() => baton(repo, ["questions", "--open", "--json"]).json().questions.length === 1);
    expect(baton(repo, ["answer", "Q-1", "2", "--yes"], as("lea")).code).toBe(0);
    const { code, body } = await asking;
    expect(code).toBe(0);
    expect(body.question).toMatchObject({ status: "answered", answer: "postgres" });
  });

  it("ask --wait times out with exit 5 and leaves the question open; answering twice is refused", () => {
    const repo = tempRepo({ humans: ["lea"] });
    const timedOut = baton(repo, ["ask", "Ship it?", "--wait", "200ms", "--json"], as("bot"));
    expect(timedOut.code).toBe(5);
    expect(timedOut.json().question).toMatchObject({ id: "Q-1", status: "open" });
    expect(baton(repo, ["answer", "Q-1", "yes", "--yes"], as("lea")).code).toBe(0);
    const again = baton(repo, ["answer", "Q-1", "no", "--yes", "--json"], as("lea"));
    expect(again.code).toBe(1);
    expect(again.json().error).toMatchObject({ code: "invalid_state" });
    expect(baton(repo, ["question", "Q-1", "--json"]).json().question).toMatchObject({ answer: "yes" });
  });

  it("refuses an agent's approve with forbidden; a human's decision wakes the requester", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    baton(repo, ["agent", "join", "bot", "--kind", "codex"]);
    const requesting = background(repo, ["approval", "request", "run the migration", "--wait", "30s"], "bot");
    await until(() => baton(repo, ["approvals", "--open", "--json"]).json().approvals.length === 1);
    const refused = baton(repo, ["approve", "A-1", "--json"], as("bot"));
    expect(refused.code).toBe(6); // forbidden has its own exit code
    expect(refused.json().error).toMatchObject({ code: "forbidden" });
    expect(baton(repo, ["reject", "A-1"], as("lea")).code).toBe(2); // --reason is required
    expect(
      baton(repo, ["reject", "A-1", "--reason", "not during the release", "--yes"], as("lea")).code,
    ).toBe(0);
    const { code, body } = await requesting;
    expect(code).toBe(3);
    expect(body.approval).toMatchObject({ status: "rejected", note: "not during the release" });
  });

  it("a plan-required task cannot be completed before its plan is approved", () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    baton(repo, ["task", "add", "Migrate billing", "--plan-required"], as("lea"));
    baton(repo, ["task", "claim", "T-1"], as("bot"));
    const early = baton(repo, ["task", "done", "T-1", "--json"], as("bot"));
    expect(early.code).toBe(3);
    expect(early.json().error).toMatchObject({ code: "approval_required" });
    writeFileSync(join(repo, "plan.md"), "1. back up\n2. migrate\n");
    expect(
      baton(repo, ["approval", "request", "plan for T-1", "--plan", "plan.md", "--task", "T-1"], as("bot"))
        .code,
    ).toBe(0);
    expect(baton(repo, ["approval", "show", "A-1"]).stdout).toContain("2. migrate");
    expect(baton(repo, ["approve", "A-1", "--note", "go ahead", "--yes"], as("lea")).code).toBe(0);
    expect(baton(repo, ["task", "done", "T-1"], as("bot")).code).toBe(0);
    expect(baton(repo, ["approval", "request", "x", "--plan", "missing.md"], as("bot")).code).toBe(4);
  });
});

describe("task reports", () => {
  it("takes a YAML or JSON report on done, shows it, and refuses a malformed one without completing", () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["task", "add", "a"], as("lead"));
    baton(repo, ["task", "add", "b"], as("lead"));
    baton(repo, ["task", "claim", "T-1"], as("bot"));
    writeFileSync(join(repo, "broken.yaml"), "summary: [unclosed\n");
    const broken = baton(repo, ["task", "done", "T-1", "--report", "broken.yaml", "--json"], as("bot"));
    expect(broken.code).toBe(2);
    expect(broken.json().error.message).toContain("not valid YAML");
    expect(baton(repo, ["task", "show", "T-1", "--json"]).json().task.status).toBe("claimed");
    writeFileSync(
      join(repo, "report.yaml"),
      "summary: Fixed it\nfindings:\n  - description: Missing SameSite\n    severity: medium\n    file: src/s.ts\n    line: 4\nfiles_modified: [src/s.ts]\n",
    );
    expect(baton(repo, ["task", "done", "T-1", "--report", "report.yaml"], as("bot")).code).toBe(0);
    const shown = baton(repo, ["task", "show", "T-1", "--json"]).json().task;
    expect(shown).toMatchObject({
      status: "done",
      result: "Fixed it",
      report: { filesModified: ["src/s.ts"] },
    });
    expect(shown.report.findings).toEqual([
      { description: "Missing SameSite", severity: "medium", file: "src/s.ts", line: 4 },
    ]);
    expect(baton(repo, ["task", "show", "T-1"]).stdout).toContain("src/s.ts:4");
    baton(repo, ["task", "claim", "T-2"], as("bot"));
    writeFileSync(
      join(repo, "report.json"),
      JSON.stringify({ summary: "From JSON", errors: ["flaky test"] }),
    );
    expect(
      baton(repo, ["task", "done", "T-2", "--report", "report.json", "--result", "ok"], as("bot")).code,
    ).toBe(0);
    expect(baton(repo, ["task", "show", "T-2", "--json"]).json().task).toMatchObject({
      result: "ok",
      report: { errors: ["flaky test"] },
    });
    expect(baton(repo, ["task", "done", "T-9", "--report", "nope.yaml"], as("bot")).code).toBe(4);
  });
});
