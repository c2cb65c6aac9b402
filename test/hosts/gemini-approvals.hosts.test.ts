import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, tempDir } from "../helpers/temp-repo.js";
import { type FakeModel, startFakeModel, type Turn } from "./gemini/fake-model.js";
import { setupHome, trustFolder } from "./gemini/run-gemini.js";
import {
  eventsOf,
  finishWork,
  HOST_VERSIONS,
  hostEnv,
  repoWithTask,
  startWork,
  type Working,
  whileWorking,
} from "./kit.js";

/**
 * `baton work --agent gemini` runs the real Gemini CLI in ACP mode against a
 * fake model that asks to run one shell command, which needs confirming. The
 * host's `session/request_permission` must become a baton approval a human
 * decides (as Claude Code's do, claude-approvals.hosts.test.ts), answered
 * with the host's allow-once or reject-once option.
 */

const TIMEOUT = 90_000;
const FILE = "made-by-shell";
type Script = Turn[];
const SCRIPT: Script = [
  [{ tool: "run_shell_command", args: { command: `touch ${FILE}` } }],
  [{ text: "Done." }],
];

interface Approval {
  id: string;
  status: string;
  action: string;
  plan: string;
}

interface Run extends Working {
  repo: string;
  fake: FakeModel;
}

/** A repository whose human is lea, with `config` merged into its config and one task; the worker started on it. */
async function work(config: Record<string, unknown> = {}, script: Script = SCRIPT): Promise<Run> {
  const repo = repoWithTask(config, { human: true });
  const home = tempDir("baton-gemini-home-");
  setupHome(home);
  trustFolder(home, repo);
  const fake = await startFakeModel(script);
  const env = hostEnv(home, {
    GEMINI_API_KEY: "dummy",
    GOOGLE_GEMINI_BASE_URL: fake.url,
    GEMINI_CLI_NO_RELAUNCH: "true",
    TMPDIR: tempDir("baton-gemini-tmp-"),
  });
  const { done } = startWork(repo, "gemini", env);
  return { repo, fake, done };
}

const approvals = (repo: string, open = false): Approval[] =>
  baton(repo, ["approvals", ...(open ? ["--open"] : []), "--json"]).json().approvals;
const openApproval = (run: Run): Promise<Approval> =>
  whileWorking(run, "a permission request", () => approvals(run.repo, true)[0]);
const shellResults = (fake: FakeModel) => fake.toolResults().filter((r) => r.name === "run_shell_command");
const taskOf = (repo: string) => baton(repo, ["task", "show", "T-1", "--json"]).json().task;
/** The user's words in the last turn the model was asked for: where a follow-up prompt shows. */
const lastUserText = (fake: FakeModel): string =>
  JSON.stringify(
    (fake.requests.filter((r) => r.kind === "turn").at(-1)?.body?.contents ?? []).filter(
      (c: { role: string }) => c.role === "user",
    ),
  );

describe(`Gemini CLI ${HOST_VERSIONS.gemini!.version} (ACP): permission requests become baton approvals`, () => {
  it(
    "shows the request as an open approval; approving it lets the command run; the run's session and tokens are logged",
    async () => {
      const run = await work();
      const approval = await openApproval(run);
      expect(approval.action).toBe(`worker (gemini, T-1) asks to use run_shell_command: touch ${FILE}`);
      expect(approval.plan).toMatch(
        /session: [0-9a-f-]{36}\nturn: 1\ntool_use_id: run_shell_command__\S+\ntool: run_shell_command/,
      );
      expect(baton(run.repo, ["approve", approval.id, "--yes", "--as", "lea"]).code).toBe(0);
      const result = await finishWork(run);
      expect(result.code, result.stderr).toBe(0);
      expect(existsSync(join(run.repo, FILE))).toBe(true);
      expect(shellResults(run.fake)).toHaveLength(1);
      expect(shellResults(run.fake)[0]!.response.error).toBeUndefined();
      expect(taskOf(run.repo)).toMatchObject({ status: "done", result: "Done." });
      const [logged] = eventsOf(run.repo, "work.run");
      expect(logged!.data).toMatchObject({ host: "gemini", approvals: [approval.id], exitCode: 0, turns: 1 });
      expect(logged!.data.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(logged!.data.tokens).toEqual({ input: 20, output: 10 });
      expect(eventsOf(run.repo, "work.permission").map((e) => e.data.decision)).toEqual(["asked", "allow"]);
    },
    TIMEOUT,
  );

  it(
    "rejecting it refuses the command, and the model reads the human's reason in a follow-up prompt",
    async () => {
      const run = await work();
      const approval = await openApproval(run);
      const args = ["reject", approval.id, "--reason", "not in this repo", "--yes", "--as", "lea"];
      expect(baton(run.repo, args).code).toBe(0);
      const result = await finishWork(run);
      expect(result.code, result.stderr).toBe(0);
      expect(existsSync(join(run.repo, FILE))).toBe(false);
      // Gemini's own words for a rejected tool carry no reason: baton's follow-up does.
      expect(shellResults(run.fake).map((r) => r.text)).toEqual([
        'Tool "run_shell_command" was canceled by the user.',
      ]);
      expect(lastUserText(run.fake)).toContain(`${approval.id} was rejected by lea: not in this repo`);
      expect(eventsOf(run.repo, "work.run")[0]!.data).toMatchObject({ turns: 2, exitCode: 0 });
    },
    TIMEOUT,
  );

  it(
    "a rule answers at once without a human; an approval nobody decides in time denies and stops the run",
    async () => {
      const allowed = await work({
        permissions: { allow: [{ tool: "run_shell_command", input: "touch *" }] },
      });
      expect((await finishWork(allowed)).code).toBe(0);
      expect(existsSync(join(allowed.repo, FILE))).toBe(true);
      expect(approvals(allowed.repo)).toEqual([]);

      const timed = await work({ permissions: { approval_timeout: "2s" } });
      const approval = await openApproval(timed);
      const result = await finishWork(timed);
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
      expect(existsSync(join(timed.repo, FILE))).toBe(false);
      expect(approvals(timed.repo, true)).toEqual([]);
      expect(taskOf(timed.repo).status).toBe("failed");
      expect(eventsOf(timed.repo, "work.run")[0]!.data).toMatchObject({
        stoppedBy: `${approval.id} timed out`,
        exitCode: 0,
      });
    },
    TIMEOUT,
  );

  it(
    "an edit asks too (ACP offers the edit tools headless -p left out): the approval names the file",
    async () => {
      const run = await work({}, [
        [{ tool: "write_file", args: { file_path: "notes.txt", content: "hi\n" } }],
        [{ text: "Done." }],
      ]);
      const approval = await openApproval(run);
      expect(approval.action).toBe(
        `worker (gemini, T-1) asks to use write_file: ${join(run.repo, "notes.txt")}`,
      );
      expect(baton(run.repo, ["approve", approval.id, "--yes", "--as", "lea"]).code).toBe(0);
      expect((await finishWork(run)).code).toBe(0);
      expect(existsSync(join(run.repo, "notes.txt"))).toBe(true);
    },
    TIMEOUT,
  );
});
