import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, tempDir, tempRepo } from "../helpers/temp-repo.js";
import { type FakeModel, startFakeModel } from "./claude/fake-model.js";
import { runClaude, setupHome } from "./claude/run-claude.js";
import { startClaudeWork, type WorkRun } from "./claude/work-run.js";
import { batonBinDir, eventsOf, finishWork, HOST_VERSIONS, whileWorking } from "./kit.js";

/**
 * `baton work --agent claude` runs the real Claude Code headless against a
 * fake model that asks to run one Bash command (which needs permission). The
 * permission request must become what the team decided: a rule's answer at
 * once, or a baton approval that a human decides, with a timeout that denies
 * and stops the run and leaves no approval to decide after the fact.
 */

const TIMEOUT = 120_000;
const FILE = "made-by-bash";
const SCRIPT = [
  [{ tool: "Bash", args: { command: `touch ${FILE}`, description: "make a file" } }],
  [{ text: "Done." }],
];

interface Approval {
  id: string;
  status: string;
  action: string;
  plan: string;
  note: string | null;
}

type Run = WorkRun;

/** A repository whose human is lea, with `permissions` in its config and one task; the worker started on it. */
const work = (permissions: Record<string, unknown> = {}): Promise<Run> =>
  startClaudeWork(SCRIPT, { permissions });

const approvals = (repo: string, open = false): Approval[] =>
  baton(repo, ["approvals", ...(open ? ["--open"] : []), "--json"]).json().approvals;

/** Waits for the run's permission request to show as an open approval. */
const openApproval = (run: Run): Promise<Approval> =>
  whileWorking(run, "a permission request", () => approvals(run.repo, true)[0]);

const finish = finishWork;

const bashResults = (fake: FakeModel) => fake.toolResults().filter((r) => r.toolName === "Bash");
const taskOf = (repo: string) => baton(repo, ["task", "show", "T-1", "--json"]).json().task;
const events = eventsOf;

describe(`Claude Code ${HOST_VERSIONS.claude!.version}: permission requests become baton approvals`, () => {
  it(
    "shows the request as an open approval; approving it lets the tool run, and the run's cost is logged",
    async () => {
      const run = await work();
      const approval = await openApproval(run);
      expect(approval.action).toContain(`worker (claude, T-1) asks to use Bash: touch ${FILE}`);
      expect(approval.plan).toMatch(/session: [0-9a-f-]{36}\nturn: 1\ntool_use_id: toolu_\w+\ntool: Bash/);
      const approved = baton(run.repo, ["approve", approval.id, "--yes", "--as", "lea"]);
      expect(approved.code, approved.stderr).toBe(0);
      const result = await finish(run);
      expect(result.code, result.stderr).toBe(0);
      expect(bashResults(run.fake)).toEqual([expect.objectContaining({ isError: false })]);
      expect(existsSync(join(run.repo, FILE))).toBe(true);
      expect(taskOf(run.repo).status).toBe("done");
      const [logged] = events(run.repo, "work.run");
      expect(logged!.data).toMatchObject({ host: "claude", approvals: [approval.id], exitCode: 0 });
      expect(logged!.data.costUsd).toBeGreaterThan(0);
      expect(logged!.data.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(events(run.repo, "work.permission").map((e) => e.data.decision)).toEqual(["asked", "allow"]);
    },
    TIMEOUT,
  );

  it(
    "rejecting it refuses the tool, and the model reads the human's reason",
    async () => {
      const run = await work();
      const approval = await openApproval(run);
      const rejected = baton(run.repo, [
        "reject",
        approval.id,
        "--reason",
        "not in this repo",
        "--yes",
        "--as",
        "lea",
      ]);
      expect(rejected.code, rejected.stderr).toBe(0);
      const result = await finish(run);
      expect(result.code, result.stderr).toBe(0);
      expect(bashResults(run.fake)).toEqual([
        expect.objectContaining({
          isError: true,
          text: `${approval.id} was rejected by lea: not in this repo`,
        }),
      ]);
      expect(existsSync(join(run.repo, FILE))).toBe(false);
    },
    TIMEOUT,
  );

  it(
    "a rule in the config answers at once: allow runs the tool, deny refuses it, neither asks a human",
    async () => {
      const allowed = await work({ allow: [{ tool: "Bash", input: "touch *" }] });
      expect((await finish(allowed)).code).toBe(0);
      expect(bashResults(allowed.fake)).toEqual([expect.objectContaining({ isError: false })]);
      expect(existsSync(join(allowed.repo, FILE))).toBe(true);
      expect(approvals(allowed.repo)).toEqual([]);

      const denied = await work({ allow: [{ tool: "*" }], deny: [{ tool: "Bash", input: "touch *" }] });
      expect((await finish(denied)).code).toBe(0);
      expect(bashResults(denied.fake)).toEqual([
        expect.objectContaining({
          isError: true,
          text: expect.stringContaining('permissions.deny: Bash "touch *"'),
        }),
      ]);
      expect(existsSync(join(denied.repo, FILE))).toBe(false);
      expect(approvals(denied.repo)).toEqual([]);
      expect(events(denied.repo, "work.permission").map((e) => e.data)).toEqual([
        expect.objectContaining({ decision: "deny", by: "config", rule: 'Bash "touch *"', tool: "Bash" }),
      ]);
    },
    TIMEOUT,
  );

  it(
    "an approval nobody decides in time denies the tool and stops the run; approving it afterwards is refused",
    async () => {
      const run = await work({ approval_timeout: "2s" });
      const approval = await openApproval(run);
      const result = await finish(run);
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
      expect(existsSync(join(run.repo, FILE))).toBe(false);
      // Asked once, never again: the run was interrupted, not left to retry.
      expect(approvals(run.repo).map((a) => a.id)).toEqual([approval.id]);
      expect(approvals(run.repo, true)).toEqual([]);
      const task = taskOf(run.repo);
      expect(task.status).toBe("failed");
      expect(baton(run.repo, ["log", "--type", "task.failed", "--json"]).stdout).toContain(
        `${approval.id} timed out`,
      );
      const late = baton(run.repo, ["approve", approval.id, "--yes", "--json", "--as", "lea"]);
      expect(late.code).not.toBe(0);
      expect(late.json().error.message).toContain(`${approval.id} has expired: no decision within 2s`);
      expect(baton(run.repo, ["approval", "show", approval.id, "--json"]).json().approval.status).toBe(
        "expired",
      );
    },
    TIMEOUT,
  );

  it(
    "an approval whose run ended (the worker was stopped) expires: it leaves the open list and cannot be approved",
    async () => {
      const run = await work();
      const approval = await openApproval(run);
      run.child.kill("SIGINT");
      await finish(run);
      expect(approvals(run.repo, true)).toEqual([]);
      const late = baton(run.repo, ["approve", approval.id, "--yes", "--json", "--as", "lea"]);
      expect(late.code).not.toBe(0);
      expect(late.json().error.message).toBe(
        `${approval.id} has expired: its run ended before a human decided`,
      );
      expect(existsSync(join(run.repo, FILE))).toBe(false);
      // The task went back to the queue for another run, which will ask again.
      expect(taskOf(run.repo).status).toBe("open");
    },
    TIMEOUT,
  );
});

describe(`Claude Code ${HOST_VERSIONS.claude!.version}: the PermissionRequest hook baton connect writes`, () => {
  it(
    "an agent's permission prompt becomes a baton approval: approved, the tool runs; rejected, it does not and the model reads why",
    async () => {
      for (const decide of ["approve", "reject"] as const) {
        const repo = tempRepo({ humans: ["lea"] });
        const home = tempDir("baton-claude-home-");
        setupHome(home);
        expect(baton(repo, ["connect", "claude", "--as", "claude-1"], { HOME: home }).code).toBe(0);
        baton(repo, ["agent", "join", "lea", "--kind", "human"]);
        const fake = await startFakeModel(SCRIPT);
        try {
          // Claude Code runs the settings' hooks with the session's environment: baton on PATH, the agent's name.
          const running = runClaude({
            home,
            baseUrl: fake.url,
            prompt: "make the file",
            cwd: repo,
            env: { BATON_AGENT: "claude-1", PATH: `${batonBinDir()}:${process.env.PATH}` },
          });
          let approval: Approval | undefined;
          for (let i = 0; i < 300 && !approval; i++) {
            await new Promise((r) => setTimeout(r, 100));
            approval = approvals(repo, true)[0];
          }
          expect(approval?.action).toBe(`claude-1 (claude) asks to use Bash: touch ${FILE}`);
          const args =
            decide === "approve"
              ? ["approve", approval!.id]
              : ["reject", approval!.id, "--reason", "use the Write tool"];
          expect(baton(repo, [...args, "--yes", "--as", "lea"]).code).toBe(0);
          await running;
          const [result] = bashResults(fake);
          expect(result?.isError).toBe(decide === "reject");
          expect(existsSync(join(repo, FILE))).toBe(decide === "approve");
          if (decide === "reject") expect(result?.text).toContain("use the Write tool");
        } finally {
          await fake.close();
        }
      }
    },
    TIMEOUT,
  );
});
