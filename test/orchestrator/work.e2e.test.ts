import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, CLI, tempRepo } from "../helpers/temp-repo.js";

const AGENT = resolve(import.meta.dirname, "../workers/task-agent.mjs");
/** The --agent command line: this Node and the stand-in agent (paths quoted as a shell would need). */
const agentCommand = `'${process.execPath}' '${AGENT}' '${CLI}'`;

interface Task {
  id: string;
  status: string;
  attempts: number;
  result: string | null;
}

function task(repo: string, id: string): Task {
  return baton(repo, ["task", "show", id, "--json"]).json().task as Task;
}

describe("baton work: the headless worker loop", () => {
  it("completes a task on exit 0 with the agent's output, fails one on a non-zero exit, and stops when none is ready", () => {
    const repo = tempRepo();
    writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ max_attempts: 2 }));
    baton(repo, ["task", "add", "tidy the docs"], { BATON_AGENT: "lea" });
    baton(repo, ["task", "add", "fail on purpose"], { BATON_AGENT: "lea" });
    const run = baton(repo, ["work", "--agent", agentCommand, "--as", "ci", "--until-empty", "--json"]);
    expect(run.code, run.stderr).toBe(1);
    const outcomes = run.json().outcomes as { task: string; status: string; exitCode: number }[];
    expect(outcomes).toContainEqual(expect.objectContaining({ task: "T-1", status: "done", exitCode: 0 }));
    // The failed task went back to the queue once (2 attempts allowed), then failed for good.
    expect(outcomes.filter((o) => o.task === "T-2")).toEqual([
      expect.objectContaining({ status: "failed", exitCode: 3 }),
      expect.objectContaining({ status: "failed", exitCode: 3 }),
    ]);
    expect(task(repo, "T-1")).toMatchObject({ status: "done", result: "all good for T-1" });
    expect(task(repo, "T-2")).toMatchObject({ status: "failed", attempts: 2 });
    const runs = baton(repo, ["log", "--type", "work.run", "--json"]).json().events as { data: unknown }[];
    expect(runs).toHaveLength(3);
    expect(baton(repo, ["log", "--type", "task.failed", "--json"]).stdout).toContain(
      "broke on purpose on T-2",
    );
  });

  it("heartbeats while the agent runs, so a claim shorter than the run is not lost", () => {
    const repo = tempRepo();
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({ claim_ttl: "2s", heartbeat_interval: "1s" }),
    );
    baton(repo, ["task", "add", "slow work"], { BATON_AGENT: "lea" });
    const run = baton(repo, ["work", "--agent", agentCommand, "--as", "ci", "--until-empty", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(task(repo, "T-1")).toMatchObject({ status: "done", attempts: 0 });
    expect(baton(repo, ["log", "--type", "task.expired", "--json"]).json().events).toEqual([]);
  });

  it("an agent that completes its task itself keeps its word; a command that cannot start fails the task", () => {
    const repo = tempRepo();
    baton(repo, ["task", "add", "self service"], { BATON_AGENT: "lea" });
    const run = baton(repo, ["work", "--agent", agentCommand, "--as", "ci", "--until-empty", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(task(repo, "T-1")).toMatchObject({ status: "done", result: "done by the agent itself" });

    writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ max_attempts: 1 }));
    baton(repo, ["task", "add", "no such program"], { BATON_AGENT: "lea" });
    const missing = baton(repo, [
      "work",
      "--agent",
      "no-such-agent-program --flag",
      "--as",
      "ci",
      "--until-empty",
    ]);
    expect(missing.code).toBe(1);
    expect(task(repo, "T-2").status).toBe("failed");
    expect(baton(repo, ["log", "--type", "task.failed", "--json"]).stdout).toContain(
      "could not start no-such-agent-program",
    );
  });

  it("an agent that ignores SIGTERM is killed after --timeout and its grace; one that leaves a child behind ends when it exits", () => {
    const repo = tempRepo();
    writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ max_attempts: 1 }));
    writeFileSync(join(repo, "stubborn.sh"), "trap 'echo got TERM' TERM\nwhile :; do sleep 1; done\n", {
      mode: 0o755,
    });
    baton(repo, ["task", "add", "hangs"], { BATON_AGENT: "lea" });
    const stubborn = baton(repo, [
      "work",
      "--agent",
      "sh ./stubborn.sh",
      "--as",
      "ci",
      "--until-empty",
      "--timeout",
      "1s",
    ]);
    expect(stubborn.code).toBe(1);
    expect(task(repo, "T-1").status).toBe("failed");
    expect(baton(repo, ["log", "--type", "task.failed", "--json"]).stdout).toContain(
      "stopped after --timeout 1s",
    );

    baton(repo, ["task", "add", "starts a server and exits"], { BATON_AGENT: "lea" });
    const started = Date.now();
    const detached = baton(repo, [
      "work",
      "--agent",
      "sh -c 'sleep 60 & echo started; exit 0'",
      "--as",
      "ci",
      "--until-empty",
    ]);
    expect(detached.code, detached.stderr).toBe(0);
    expect(task(repo, "T-2").status).toBe("done");
    // Not the 60 s of the child it left: the run ended when the agent exited.
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
