import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { answeringHub } from "../src/server/hub-server.js";
import { hubSocketPath } from "../src/store/remote/protocol.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { startNode } from "./helpers/processes.js";
import { baton, CLI, type CliResult, tempRepo, testHome } from "./helpers/temp-repo.js";

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function dbOf(repo: string): string {
  return join(repo, ".baton", "baton.db");
}

/** Starts `baton serve` in `repo` and resolves once it answers (its hub.json is written after it listens). */
async function startServe(repo: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, "serve"], {
    cwd: repo,
    env: { ...process.env, HOME: testHome(), BATON_AGENT: undefined, BATON_STORE: undefined },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let stderr = "";
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
  });
  for (let i = 0; i < 500; i++) {
    if (existsSync(join(repo, ".baton", "hub.json"))) return child;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`baton serve did not start: ${stderr}`);
}

async function hubRequests(repo: string): Promise<number> {
  const hello = await answeringHub(hubSocketPath(`sqlite:${dbOf(repo)}`));
  if (!hello) throw new Error("no hub answers");
  return hello.requests ?? 0;
}

/** A fixed scenario of commands; what each printed and exited with, paths of the repo made neutral. */
function scenario(
  repo: string,
  env: Record<string, string> = {},
): Pick<CliResult, "code" | "stdout" | "stderr">[] {
  const run = (...args: string[]) => {
    const { code, stdout, stderr } = baton(repo, args, env);
    // Paths and remaining times (15m, 14m59s) differ from run to run; nothing else may.
    const neutral = (text: string) =>
      text.replaceAll(repo, "<repo>").replace(/\b\d+m(\d+s)?\b/g, "<duration>");
    return { code, stdout: neutral(stdout), stderr: neutral(stderr) };
  };
  return [
    run("--as", "lead", "task", "add", "write the parser"),
    run("--as", "lead", "task", "add", "write the printer"),
    run("--as", "ana", "task", "claim"),
    run("--as", "bob", "task", "claim", "T-1"), // held by ana: conflict, exit 3
    run("--as", "ana", "task", "done", "T-1"),
    run("--as", "ana", "lock", "src/parser.ts"),
    run("--as", "bob", "lock", "src/parser.ts"), // held: exit 3
    run("--as", "bob", "task", "show", "T-99"), // not found: exit 4
    run("--json", "--as", "bob", "task", "show", "T-99"),
    run("--as", "bob", "task", "done", "T-2"), // not claimed
    run("--as", "lead", "task", "list"),
  ];
}

// Each test starts (and kills) its own hub, so none gets one from BATON_TEST_HUB.
describe("baton serve", () => {
  it("gives every command the same output and exit code as without a hub, and is used by them", async () => {
    const direct = tempRepo({ hub: false });
    const served = tempRepo({ hub: false });
    const withoutHub = scenario(direct, { BATON_HUB: "off" });
    await startServe(served);
    const before = await hubRequests(served);
    const withHub = scenario(served);
    expect(withHub).toEqual(withoutHub);
    expect(withHub.map((r) => r.code)).toEqual([0, 0, 0, 3, 0, 0, 3, 4, 4, 3, 0]);
    // Each command reached the hub (a command makes a few requests: joins, reads, the change).
    expect((await hubRequests(served)) - before).toBeGreaterThanOrEqual(withHub.length);
  });

  it("wakes `inbox --wait` through the hub when another process sends", async () => {
    const repo = tempRepo({ hub: false });
    await startServe(repo);
    const waiter = spawn(process.execPath, [CLI, "--as", "bob", "inbox", "--wait", "30s"], {
      cwd: repo,
      env: { ...process.env, HOME: testHome(), BATON_AGENT: undefined, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    started.push(waiter);
    let out = "";
    waiter.stdout!.on("data", (chunk) => {
      out += chunk;
    });
    const exited = new Promise<number | null>((resolve) => waiter.on("close", resolve));
    // Once bob waits (he joined the team on his first call), a send from another process wakes him.
    const look = new SqliteStore({ path: dbOf(repo) });
    const joined = async () =>
      (await look.listAgents({ hungAfterMs: 60_000, offlineAfterMs: 60_000 })).some((a) => a.name === "bob");
    for (let i = 0; i < 400 && !(await joined()); i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    await look.close();
    expect(baton(repo, ["--as", "ana", "send", "bob", "the parser is done"]).code).toBe(0);
    expect(await exited).toBe(0);
    expect(out).toContain("the parser is done");
  });

  it("refuses to start a second hub for the store, naming the first; --stop stops it and removes its record", async () => {
    const repo = tempRepo({ hub: false });
    const first = await startServe(repo);
    const record = JSON.parse(readFileSync(join(repo, ".baton", "hub.json"), "utf8"));
    expect(record).toMatchObject({ pid: first.pid, host: "127.0.0.1", port: 7345 });
    const second = baton(repo, ["serve"]);
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`pid ${first.pid}`);
    expect(baton(repo, ["serve", "--host", "0.0.0.0"]).code).toBe(2);
    const exited = new Promise((resolve) => first.on("close", resolve));
    const stop = baton(repo, ["serve", "--stop"]);
    expect(stop.code, stop.stderr).toBe(0);
    await exited;
    expect(existsSync(join(repo, ".baton", "hub.json"))).toBe(false);
    expect(existsSync(hubSocketPath(`sqlite:${dbOf(repo)}`))).toBe(false);
    expect(baton(repo, ["serve", "--stop"]).code).toBe(4);
  });

  it("kill -9 in the middle of many claims loses no acknowledged write; clients get connection_lost, then go direct", async () => {
    const repo = tempRepo({ hub: false });
    const tasks = 1500;
    const seed = new SqliteStore({ path: dbOf(repo) });
    for (let i = 0; i < tasks; i++)
      await seed.addTask({ actor: "lead", prefix: "T", queue: "tasks", title: `t${i}`, maxAttempts: 1 });
    await seed.close();
    const hub = await startServe(repo);
    const workers = Array.from({ length: 4 }, (_, i) =>
      startNode("hub-claim-worker.mjs", [dbOf(repo), `w${i}`]),
    );
    // Kill the hub once the workers are well under way.
    for (let i = 0; i < 400 && (await hubRequests(repo)) < 400; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    hub.kill("SIGKILL");
    const results = (await Promise.all(workers.map((w) => w.done))).map((finished) => {
      expect(finished.code, finished.stderr).toBe(0);
      return JSON.parse(finished.stdout.trim().split("\n").at(-1)!);
    });

    const store = new SqliteStore({ path: dbOf(repo) });
    try {
      const byId = new Map((await store.listTasks({})).map((task) => [task.id, task]));
      const claimEvents = await store.listEvents({ type: "task.claimed", limit: 100_000 });
      const claimSeqs = new Map(claimEvents.map((e) => [e.seq, e]));
      const completions = await store.listEvents({ type: "task.completed", limit: 100_000 });
      const completedBy = new Map(completions.map((e) => [e.subject, e.actor]));
      for (const result of results) {
        // Every acknowledged claim is in the log, under its token, for this worker.
        for (const { id, token } of result.claimed) {
          expect(claimSeqs.get(token)).toMatchObject({ subject: id, actor: result.agent });
        }
        // Every acknowledged completion is committed, by this worker.
        for (const id of result.completed) {
          expect(byId.get(id)?.status).toBe("done");
          expect(completedBy.get(id)).toBe(result.agent);
        }
        expect(result.direct).toBe(true);
      }
      // No task completed twice.
      const completed = results.flatMap((r) => r.completed);
      expect(new Set(completed).size).toBe(completed.length);
      // The hub died with requests in flight: they failed with a message that says what may have happened.
      const lost = results.flatMap((r) => r.errors);
      expect(lost.length).toBeGreaterThan(0);
      for (const error of lost) {
        expect(error.code).toBe("connection_lost");
        expect(error.message).toMatch(/the hub stopped while (claimTask|completeTask) was in flight/);
      }
      // Work went on without the hub: every task was claimed by someone.
      expect([...byId.values()].filter((t) => t.status === "open")).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
