import { describe, expect, it } from "vitest";
import { baton, batonInBackground, tempDir } from "../helpers/temp-repo.js";
import { startFakeModel as startCodexModel } from "./codex/fake-model.js";
import { codexEnv, setupHome as setupCodex } from "./codex/run-codex.js";
import { startFakeModel as startGeminiModel } from "./gemini/fake-model.js";
import { setupHome as setupGemini, trustFolder } from "./gemini/run-gemini.js";
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
import { startFakeModel as startPiModel } from "./pi/fake-model.js";
import { setupHome as setupPi } from "./pi/run-pi.js";

/**
 * `baton work --agent codex|gemini|pi` with the real hosts, each set up only
 * as its user would (the provider pointing at the host's fake model, in an
 * isolated HOME), run with the argv baton gives it and the pinned host first
 * on PATH. What baton reads from each host's structured output (session id,
 * last message, tokens or dollars per turn, errors) is checked against what
 * the host really printed. pi runs in RPC mode: baton sends the prompt on
 * stdin, asks it to abort before it signals it, and resumes its session.
 * Gemini CLI runs in ACP mode (gemini-approvals.hosts.test.ts has its permission requests).
 */

type Host = "codex" | "gemini" | "pi";
const REFUSAL = "the fake model refuses this request";
/** Codex and Gemini count tokens: baton prices them from this table (USD per million). */
const PRICE = { input: 100, output: 1000 };
const usdOf = (input: number, output: number) => (input * PRICE.input + output * PRICE.output) / 1e6;

/** `baton work --agent HOST` (kit's startWork), its fake model closed when the worker is done. */
function startWorker(
  repo: string,
  host: Host,
  env: Record<string, string>,
  fake: { close(): Promise<void> },
  extra: string[] = [],
): Working {
  return { done: startWork(repo, host, env, extra).done, fake };
}

/** The task, its cost entries (oldest first) and the runs logged, asked side by side once the worker is done. */
async function outcome(repo: string) {
  const ask = (args: string[]) => batonInBackground(repo, [...args, "--json"]).done.then((r) => r.json());
  const [shown, cost, log] = await Promise.all([
    ask(["task", "show", "T-1"]),
    ask(["cost", "T-1"]),
    ask(["log", "--type", "work.run"]),
  ]);
  const entries = (cost.entries as { seq: number }[]).sort((a, b) => a.seq - b.seq);
  const runs = (log.events as { data: Record<string, unknown> }[]).map((e) => e.data);
  return { task: shown.task, cost: { ...cost, entries }, runs };
}

function codexHome(url: string): Record<string, string> {
  const home = tempDir("baton-codex-home-");
  setupCodex(home, url);
  return codexEnv(home);
}

function geminiHome(url: string, repo: string): Record<string, string> {
  const home = tempDir("baton-gemini-home-");
  setupGemini(home);
  trustFolder(home, repo);
  return hostEnv(home, {
    GEMINI_API_KEY: "dummy",
    GOOGLE_GEMINI_BASE_URL: url,
    GEMINI_CLI_NO_RELAUNCH: "true",
    // Its error reports go to the temp folder: this test's, not the machine's.
    TMPDIR: tempDir("baton-gemini-tmp-"),
  });
}

/**
 * pi's model costs $1000 per million tokens in and out: 10 in and 5 out is
 * $0.015. pi retries an error that reads as passing after 50 ms, not 2 s.
 */
function piHome(url: string): Record<string, string> {
  const home = tempDir("baton-pi-home-");
  setupPi(home, url, { cost: { input: 1000, output: 1000 }, settings: { retry: { baseDelayMs: 50 } } });
  return hostEnv(home, { PI_OFFLINE: "1", PI_TELEMETRY: "0" });
}

describe(`baton work with Codex ${HOST_VERSIONS.codex!.version}`, () => {
  it("completes the task with the agent's last message; the turn's tokens are priced as estimated", async () => {
    const repo = repoWithTask({ costs: { prices: { codex: PRICE } } });
    // Codex's exec --json names no model: its tokens are priced by the table's host entry.
    const fake = await startCodexModel([
      [{ tool: "exec_command", args: { cmd: "echo hi" } }],
      [{ text: "Made the file." }],
    ]);
    const result = await finishWork(startWorker(repo, "codex", codexHome(fake.url), fake));
    expect(result.code, result.stderr).toBe(0);

    const { task, cost, runs } = await outcome(repo);
    expect(task).toMatchObject({ status: "done", result: "Made the file." });
    expect(runs).toHaveLength(1);
    const thread = runs[0]!.sessionId;
    expect(thread).toMatch(/^[0-9a-f-]{36}$/);
    // One Codex turn, two model requests of 10 tokens in and 5 out.
    expect(cost.entries).toMatchObject([
      {
        host: "codex",
        session: thread,
        turn: 1,
        model: null,
        estimated: true,
        inputTokens: 20,
        outputTokens: 10,
      },
    ]);
    expect(cost.entries[0].usd).toBeCloseTo(usdOf(20, 10), 9);
    expect(task.cost).toMatchObject({ turns: 1, estimated: true, inputTokens: 20 });
  });

  it("fails the task with the API's refusal when the turn fails", async () => {
    const repo = repoWithTask();
    const fake = await startCodexModel([[{ error: REFUSAL }]]);
    const result = await finishWork(startWorker(repo, "codex", codexHome(fake.url), fake));
    expect(result.code).toBe(1);

    const { task, runs } = await outcome(repo);
    expect(task.status).toBe("failed");
    expect(task.result).toBe(`the agent exited 1 (the host reported an error): ${REFUSAL}`);
    expect(runs[0]).toMatchObject({ failed: true, error: REFUSAL, exitCode: 1 });
  });
});

describe(`baton work with Gemini CLI ${HOST_VERSIONS.gemini!.version}`, () => {
  it("completes the task with the whole last message (streamed in parts); tokens per model as ACP reports them", async () => {
    const repo = repoWithTask({ costs: { prices: { gemini: PRICE } } });
    const fake = await startGeminiModel([
      [{ text: "Let me look. " }, { tool: "list_directory", args: { dir_path: "." } }],
      [{ text: "Made the file, " }, { text: "all of it." }],
    ]);
    const result = await finishWork(startWorker(repo, "gemini", geminiHome(fake.url, repo), fake));
    expect(result.code, result.stderr).toBe(0);

    // The prompt went in as an ACP session/prompt: the model got the task's prompt as the user's message.
    expect(JSON.stringify(fake.requests.find((r) => r.kind === "turn")!.body.contents)).toContain(
      "working headless for baton on task T-1",
    );
    const { task, cost, runs } = await outcome(repo);
    expect(task).toMatchObject({ status: "done", result: "Made the file, all of it." });
    const session = runs[0]!.sessionId;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    expect(runs[0]).toMatchObject({ exitCode: 0, turns: 1, tokens: { input: 20, output: 10 } });
    // ACP's model_usage names the model Gemini asked for (the router's pick, or "auto" when a
    // request named none), not the API's modelVersion: each is priced by its name or the host's entry.
    expect(cost.entries.map((e: { model: string }) => e.model).sort()).toEqual(["auto", "gemini-3.8-flash"]);
    for (const entry of cost.entries) {
      expect(entry).toMatchObject({
        host: "gemini",
        session,
        estimated: true,
        inputTokens: 10,
        outputTokens: 5,
      });
      expect(entry.usd).toBeCloseTo(usdOf(10, 5), 9);
    }
  });

  it("fails the task with the API's refusal", async () => {
    const repo = repoWithTask();
    const fake = await startGeminiModel([[{ error: REFUSAL }]]);
    const result = await finishWork(startWorker(repo, "gemini", geminiHome(fake.url, repo), fake));
    expect(result.code).toBe(1);

    const { task, runs } = await outcome(repo);
    expect(task.status).toBe("failed");
    expect(task.result).toMatch(/^the agent exited \d+ \(the host reported an error\): /);
    expect(task.result).toContain(REFUSAL);
    expect(runs[0]).toMatchObject({ failed: true, error: REFUSAL });
  });
});

describe(`baton work with pi ${HOST_VERSIONS.pi!.version} (RPC mode)`, () => {
  it("completes the task through RPC; each request's dollars go to the ledger as pi reports them", async () => {
    const repo = repoWithTask();
    const fake = await startPiModel([
      [{ tool: "bash", args: { command: "echo hi" } }],
      [{ text: "Made the file." }],
    ]);
    const result = await finishWork(startWorker(repo, "pi", piHome(fake.url), fake));
    expect(result.code, result.stderr).toBe(0);

    // The prompt went in as an RPC command: the model got the task's prompt as the user's message.
    expect(JSON.stringify(fake.requests[0]!.body.messages)).toContain(
      "working headless for baton on task T-1",
    );
    const { task, cost, runs } = await outcome(repo);
    expect(task).toMatchObject({ status: "done", result: "Made the file." });
    // The session id came from get_state; pi exited by itself when baton closed its stdin.
    const session = runs[0]!.sessionId;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    expect(runs[0]).toMatchObject({ exitCode: 0 });
    expect(cost.entries).toMatchObject([
      { host: "pi", session, turn: 1, model: "fake-model", estimated: false, inputTokens: 10, usd: 0.015 },
      { host: "pi", session, turn: 2, model: "fake-model", estimated: false, inputTokens: 10, usd: 0.015 },
    ]);
    expect(task.cost).toMatchObject({ turns: 2, estimated: false, usd: 0.03 });
  });

  it("fails the task with the model's error, though pi itself ends cleanly", async () => {
    const repo = repoWithTask();
    const fake = await startPiModel([[{ error: REFUSAL }]]);
    const result = await finishWork(startWorker(repo, "pi", piHome(fake.url), fake));
    expect(result.code).toBe(1);

    const { task, cost } = await outcome(repo);
    expect(task.status).toBe("failed");
    expect(task.result).toBe(`the agent exited 0 (the host reported an error): 400 ${REFUSAL}`);
    // The refused request cost nothing and is no turn.
    expect(cost.entries).toEqual([]);
  });

  it("an error pi retries does not end the run: baton waits for the retry, which finishes the task", async () => {
    const repo = repoWithTask();
    const fake = await startPiModel([[{ error: "the model is overloaded", times: 1 }, { text: "Made it." }]]);
    const result = await finishWork(startWorker(repo, "pi", piHome(fake.url), fake));
    expect(result.code, result.stderr).toBe(0);

    expect(fake.requests.map((r) => r.turn)).toEqual([0, 0]);
    const { task } = await outcome(repo);
    expect(task).toMatchObject({ status: "done", result: "Made it." });
  });

  it("a timeout asks pi to abort: it ends its tool call and exits by itself, and the task fails", async () => {
    const repo = repoWithTask();
    const fake = await startPiModel([[{ tool: "bash", args: { command: "sleep 30" } }]]);
    const result = await finishWork(startWorker(repo, "pi", piHome(fake.url), fake, ["--timeout", "2s"]));
    expect(result.code).toBe(1);

    const { task, runs } = await outcome(repo);
    expect(task.status).toBe("failed");
    expect(task.result).toContain("the agent was stopped after --timeout 2s");
    // Exit 0, not SIGTERM's 143: pi honoured the abort, and no signal was needed.
    expect(runs[0]).toMatchObject({ exitCode: 0 });
  });

  it("a cost cap aborts the run mid-tool; continue resumes pi's session, which finishes the task", async () => {
    // The first request costs $0.015, past the task's cap of $0.01; "continue" allows $0.01 more.
    const repo = repoWithTask({ costs: { task_cap_usd: 0.01 } });
    expect(baton(repo, ["agent", "join", "lea", "--kind", "human"]).code).toBe(0);
    const fake = await startPiModel([
      [{ tool: "bash", args: { command: "sleep 30" } }],
      [{ usage: { input: 1, output: 1 } }, { text: "Finished after the cap." }],
    ]);
    const run = startWorker(repo, "pi", piHome(fake.url), fake);
    const question = await whileWorking(run, "a cap question", () => {
      const open = baton(repo, ["questions", "--open", "--json"]).json().questions as { id: string }[];
      return open[0];
    });
    // Stopped through the abort: pi ended its `sleep`, saved its session and exited 0.
    const [first] = eventsOf(repo, "work.run").map((e) => e.data);
    expect(first).toMatchObject({ exitCode: 0, cap: { kind: "task", subject: "T-1" } });
    expect(baton(repo, ["answer", question.id, "continue", "--yes", "--as", "lea"]).code).toBe(0);
    const result = await finishWork(run);
    expect(result.code, result.stderr).toBe(0);

    const { task, cost, runs } = await outcome(repo);
    expect(task).toMatchObject({ status: "done", result: "Finished after the cap." });
    // The second run went on in the first one's session: the model saw the aborted tool call.
    expect(runs.map((r) => r.resumed ?? null)).toEqual([null, first!.sessionId]);
    expect(runs[1]!.sessionId).toBe(first!.sessionId);
    const resumed = JSON.stringify(fake.requests.at(-1)!.body.messages);
    expect(resumed).toContain("sleep 30");
    expect(resumed).toContain("A human let you go on");
    expect(cost.entries.map((e: { usd: number }) => e.usd)).toEqual([0.015, 0.002]);
  });
});
