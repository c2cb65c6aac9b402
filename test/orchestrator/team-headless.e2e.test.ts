import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { baton, tempDir, tempRepo } from "../helpers/temp-repo.js";
import { completedBy, events, tasks, teamRecord, until } from "./team-helpers.js";

/**
 * `baton up --headless`: no tmux. Each agent is a background process of its own
 * group, recorded by pid; a hub started the same way supervises them.
 */

/** Whether a process with this pid runs (and is no zombie). */
function runs(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
}

const left: number[] = [];
afterEach(() => {
  // A failed test must not leave its agents running: each was its own group's leader.
  while (left.length) {
    const pid = left.pop()!;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
});

describe("baton up --headless", () => {
  it("runs the agents as background processes: they work, status shows their pids, the hub restarts one killed, down ends them all", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    // A command agent run by baton's worker loop on each task: it writes a file and exits 0.
    const script = join(tempDir("baton-worker-"), "agent.cjs");
    writeFileSync(
      script,
      `require("node:fs").writeFileSync(process.env.BATON_TASK_ID + ".txt", process.env.BATON_TASK_ID + ": " + process.env.BATON_TASK_PROMPT.slice(0, 40));\n`,
    );
    // A tmux server that does not exist: a headless team never needs one.
    const env = { BATON_TMUX_SOCKET: join(tempDir(), "none") };
    const up = baton(
      repo,
      ["up", "--headless", "-n", "2", "--agent", "sim", "--agent", `${process.execPath} ${script}`, "--json"],
      env,
    );
    expect(up.code, up.stderr).toBe(0);
    const team = up.json().team;
    expect(team.session).toBeNull();
    expect(team.hub).toEqual({ pid: expect.any(Number), started: expect.any(String) });
    left.push(team.hub.pid, ...team.agents.map((a: { process: { pid: number } }) => a.process.pid));
    expect(team.agents.map((a: { name: string }) => a.name)).toEqual(["sim-1", "node-1"]);
    expect(team.agents[1].command.slice(-3)).toEqual(["work", "--agent", `${process.execPath} ${script}`]);
    for (const agent of team.agents) {
      expect(agent.paneId).toBeNull();
      expect(runs(agent.process.pid)).toBe(true);
    }

    await until("both joined", () =>
      (baton(repo, ["agents", "--json"]).json().agents as { name: string }[]).length >= 2 ? true : undefined,
    );
    // Two tasks for each, so each kind of agent is seen at work.
    for (const agent of ["sim-1", "node-1", "sim-1", "node-1"])
      baton(repo, ["task", "add", `a task for ${agent}`, "--assign", agent], { BATON_AGENT: "lea" });
    await until("every task done", () =>
      tasks(repo).length === 4 && tasks(repo).every((t) => t.status === "done") ? true : undefined,
    );
    const by = completedBy(repo);
    expect([...by.values()].sort()).toEqual(["node-1", "node-1", "sim-1", "sim-1"]);
    for (const [task, agent] of by)
      if (agent === "node-1")
        expect(readFileSync(join(team.agents[1].cwd, `${task}.txt`), "utf8")).toContain(task);

    const status = baton(repo, ["status", "--json"]).json();
    expect(status.team).toMatchObject({ session: null, headless: true, live: true });
    expect(status.team.agents.map((a: { pid: number; process: string }) => [a.pid, a.process])).toEqual(
      team.agents.map((a: { process: { pid: number } }) => [a.process.pid, "running"]),
    );
    expect(baton(repo, ["status"], { COLUMNS: "120" }).stdout).toContain(
      `running (pid ${team.agents[0].process.pid})`,
    );
    expect(baton(repo, ["attach"]).stderr).toContain("headless");

    // Killed from outside: the hub sees the pid gone and starts it again, once.
    process.kill(-team.agents[0].process.pid, "SIGKILL");
    const restarted = await until("sim-1 restarted", () => events(repo, "team.restarted")[0]);
    expect(restarted).toMatchObject({ subject: "sim-1", data: expect.objectContaining({ restarts: 1 }) });
    const again = teamRecord(repo).agents[0].process.pid as number;
    left.push(again);
    expect(again).not.toBe(team.agents[0].process.pid);
    expect(runs(again)).toBe(true);

    const down = baton(repo, ["down", "--json"]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.json()).toMatchObject({ quit: ["sim-1", "node-1"], killed: [], hubStopped: true });
    for (const pid of [again, team.agents[1].process.pid, team.hub.pid]) expect(runs(pid)).toBe(false);
    expect(existsSync(join(repo, ".baton", "team.json"))).toBe(false);
    expect(readFileSync(join(repo, ".baton", "logs", "sim-1.log"), "utf8")).toContain("sim-1: joined");
    expect(spawnSync("git", ["check-ignore", "-q", ".baton/logs/sim-1.log"], { cwd: repo }).status).toBe(0);
  });
});
