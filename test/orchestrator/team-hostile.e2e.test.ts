import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { baton, batonInBackground, CLI, tempRepo, testHome } from "../helpers/temp-repo.js";
import { events, teamRecord, tmux, tmuxSocket, until, windowNames, writeConfig } from "./team-helpers.js";

/**
 * A running team at the edges a hostile run found: many changes of team.json
 * at once, a record that outlived its tmux server, a run script that ignores
 * its hangup, names and programs a lead should not be able to give, and a
 * record whose pids would signal what baton never started.
 */

interface Agent {
  name: string;
  paneId: string | null;
  port: number;
  stoppedAt: number | null;
}

/** Whether a process with this pid runs (not a zombie). */
function runs(pid: number): boolean {
  const out = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim();
  return out !== "" && !out.startsWith("Z");
}

describe("a team changed by many at once", () => {
  it("six spawns at once: max_agents holds, every name and port block is given once, and every window is in the record", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeConfig(repo, { humans: ["lea"], team: { max_agents: 4, allowed_hosts: ["sim"] } });
    const env = { BATON_TMUX_SOCKET: tmuxSocket() };
    expect(baton(repo, ["up", "-n", "1", "--agent", "sim"], env).code).toBe(0);
    const session = teamRecord(repo).session as string;
    // Before the team's lock, two of six got sim-2 (one window in no record) and one a port clash.
    const runsAtOnce = Array.from(
      { length: 6 },
      () => batonInBackground(repo, ["spawn", "--agent", "sim", "--as", "lea", "--json"], env).done,
    );
    const results = await Promise.all(runsAtOnce);
    const started = results.filter((r) => r.code === 0).map((r) => r.json().agent.name as string);
    const refused = results.filter((r) => r.code !== 0);
    expect(started).toHaveLength(3);
    // With --json, a refusal is JSON on stdout.
    for (const r of refused) expect(r.stdout).toContain("team.max_agents allows 4");
    const agents = teamRecord(repo).agents as Agent[];
    expect(new Set(agents.map((a) => a.name)).size).toBe(4);
    expect(new Set(agents.map((a) => a.port)).size).toBe(4);
    expect(agents.every((a) => a.paneId !== null)).toBe(true);
    expect(windowNames(env.BATON_TMUX_SOCKET, session).sort()).toEqual(
      ["hub", ...agents.map((a) => a.name)].sort(),
    );
    // Two stops of one agent at once: one is asked, the other finds it being stopped.
    const stops = await Promise.all(
      [0, 1].map(() => batonInBackground(repo, ["stop", started[0]!, "--no-wait", "--as", "lea"], env).done),
    );
    // The other is refused: the agent is being stopped (exit 3), or, if the first stop was quick
    // enough (a simulated agent leaves at once), stopped already (exit 1). Never asked twice.
    const [asked, second] = [...stops].sort((a, b) => a.code - b.code);
    expect(asked!.code).toBe(0);
    expect([1, 3]).toContain(second!.code);
    expect(second!.stderr).toMatch(/is (being )?stopped already/);
    expect(events(repo, "team.stop_requested")).toHaveLength(1);
    expect(baton(repo, ["down", "--force"], env).code).toBe(0);
  });
});

describe("what a lead may start", () => {
  it("never a human's name or an outside agent's, never a program by path, never a host with arguments of its own", () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeConfig(repo, { humans: ["lea"], team: { max_agents: 5, allowed_hosts: ["sim", "claude"] } });
    const env = { BATON_TMUX_SOCKET: tmuxSocket() };
    expect(baton(repo, ["up", "-n", "1", "--agent", "sim"], env).code).toBe(0);
    // Someone's own agent, connected outside the team, is here as sim-2.
    expect(baton(repo, ["agent", "join", "sim-2"]).code).toBe(0);
    const lea = { ...env, BATON_AGENT: "sim-1" };
    // A hostile run spawned a teammate named lea: it joined as the human.
    for (const name of ["lea", "sim-2"]) {
      const taken = baton(repo, ["spawn", "--agent", "sim", "--name", name], lea);
      expect(taken.code, name).toBe(3);
      expect(taken.stderr).toContain(`${name} is the name of a human or of an agent outside this team`);
    }
    // The next free name skips the outside agent.
    const next = baton(repo, ["spawn", "--agent", "sim", "--json"], lea);
    expect(next.code, next.stderr).toBe(0);
    expect(next.json().agent.name).toBe("sim-3");
    // allowed_hosts named "claude": a hostile run started /tmp/x/claude and claude with its own flags.
    for (const [spec, said] of [
      ["/tmp/evil/claude", "not given by a path"],
      ["./claude", "not given by a path"],
      ["claude --dangerously-skip-permissions", "without arguments of its own"],
      ["sim --as lea", "without arguments of its own"],
    ] as const) {
      const r = baton(repo, ["spawn", "--agent", spec], lea);
      expect(r.code, spec).toBe(6);
      expect(r.stderr).toContain(said);
    }
    // A role name that is also a property of every object is no role.
    const role = baton(repo, ["spawn", "--agent", "sim", "--role", "constructor"], lea);
    expect(role.code).not.toBe(0);
    expect(role.stderr).toContain("no role 'constructor'");
    expect((teamRecord(repo).agents as Agent[]).map((a) => a.name)).toEqual(["sim-1", "sim-3"]);
    expect(baton(repo, ["down", "--force"], env).code).toBe(0);
  });
});

describe("a team's record and the world it names", () => {
  it("after its tmux server restarted, down and nudge leave alone the windows that now have its pane ids", async () => {
    const repo = tempRepo();
    const env = { BATON_TMUX_SOCKET: tmuxSocket() };
    expect(baton(repo, ["up", "-n", "2", "--agent", "sim"], env).code).toBe(0);
    const panes = (teamRecord(repo).agents as Agent[]).map((a) => a.paneId);
    // A reboot: the server is gone, and a new one hands out %0, %1 ... to the user's own windows.
    tmux(env.BATON_TMUX_SOCKET, "kill-server");
    await sleep(200);
    tmux(env.BATON_TMUX_SOCKET, "-f", "/dev/null", "new-session", "-d", "-s", "mine", "sleep 600");
    for (let i = 0; i < 4; i++) tmux(env.BATON_TMUX_SOCKET, "new-window", "-t", "mine", "sleep 600");
    const mine = () => tmux(env.BATON_TMUX_SOCKET, "list-panes", "-s", "-t", "mine", "-F", "#{pane_id}");
    const before = mine();
    for (const pane of panes) expect(before).toContain(pane);

    const nudge = baton(repo, ["nudge", "sim-1", "echo typed into the wrong shell"], env);
    expect(nudge.code).not.toBe(0);
    expect(nudge.stderr).toContain("window is gone");
    const down = baton(repo, ["down"], env);
    expect(down.code, down.stderr).toBe(0);
    // A hostile run's down closed four of these.
    expect(mine()).toBe(before);
  });

  it("a run script that ignores its hangup is ended with its window", async () => {
    const repo = tempRepo();
    const marker = `baton-stubborn-${process.pid}-${Date.now()}`;
    writeConfig(repo, {
      team: { run: ["sh", "-c", `trap "" HUP TERM INT; echo ${marker}; while :; do sleep 1; done`] },
    });
    const env = { BATON_TMUX_SOCKET: tmuxSocket() };
    expect(baton(repo, ["up", "-n", "1", "--agent", "sim"], env).code).toBe(0);
    const session = teamRecord(repo).session as string;
    const pid = await until("the run script", () => {
      const out = tmux(
        env.BATON_TMUX_SOCKET,
        "list-panes",
        "-s",
        "-t",
        session,
        "-F",
        "#{window_name} #{pane_pid}",
      );
      const line = out.split("\n").find((l) => l.startsWith("sim-1.run "));
      return line ? Number(line.split(" ")[1]) : undefined;
    });
    expect(runs(pid)).toBe(true);
    expect(baton(repo, ["down"], env).code).toBe(0);
    await until("the run script ended", () => (runs(pid) ? undefined : true), 10_000);
  });

  it("a record whose pids are not processes baton started is damaged: down refuses instead of signalling them", () => {
    const repo = tempRepo();
    const agent = {
      name: "sim-1",
      host: "sim",
      command: ["true"],
      role: "developer",
      cwd: repo,
      branch: null,
      env: {},
      paneId: null,
      runPaneId: null,
      runProcess: null,
      port: 4100,
      startedAt: 0,
      restarts: 0,
      stoppedAt: null,
      stop: null,
      spawnedBy: null,
    };
    const record = (process: unknown) => ({
      version: 1,
      session: null,
      tmuxSocket: null,
      root: repo,
      createdAt: 0,
      worktrees: false,
      cli: "baton",
      hub: null,
      agents: [{ ...agent, process }],
    });
    const path = join(repo, ".baton", "team.json");
    // pid 0 with no start time: a hostile run's down sent SIGTERM to its own process group.
    for (const [ref, said] of [
      [{ pid: 0 }, "agents.0.process.pid"],
      [{ pid: -1, started: "1" }, "agents.0.process.pid"],
      [{ pid: 1234 }, "agents.0.process.started"],
      [{ pid: 1234, started: "" }, "agents.0.process.started"],
    ] as const) {
      writeFileSync(path, JSON.stringify(record(ref)));
      // In a process group of its own: were it signalled, only it would be, and the test would see it.
      const refused = spawnSync("setsid", [process.execPath, CLI, "down"], {
        cwd: repo,
        encoding: "utf8",
        env: { ...process.env, BATON_AGENT: undefined, BATON_STORE: undefined, HOME: testHome() },
      });
      expect(refused.signal, JSON.stringify(ref)).toBeNull();
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`team.json is damaged (${said}`);
    }
    // A record of another repository would steer its agents from here.
    writeFileSync(path, JSON.stringify({ ...record(null), root: "/" }));
    expect(baton(repo, ["status"]).stderr).toContain("team.json is damaged (root: another folder)");
    // So would an agent whose folder is not the repository's.
    writeFileSync(
      path,
      JSON.stringify({ ...record(null), agents: [{ ...agent, cwd: "/etc", process: null }] }),
    );
    expect(baton(repo, ["status"]).stderr).toContain(
      "team.json is damaged (agents.0.cwd: outside the repository)",
    );
    expect(baton(repo, ["down", "--force"]).code).toBe(0);
    expect(baton(repo, ["status"]).code).toBe(0);
  });
});
