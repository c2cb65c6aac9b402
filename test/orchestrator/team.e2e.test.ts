import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { baton, CLI, git, tempDir, tempRepo } from "../helpers/temp-repo.js";
import { fakeClaudeBin } from "../workers/fake-claude-bin.mjs";
import {
  completedBy,
  events,
  tasks,
  teamRecord,
  tmux,
  tmuxSocket,
  until,
  writeConfig,
} from "./team-helpers.js";

/**
 * `baton up` / `down` as a user runs them, with baton's simulated agents (no AI
 * service) in a real tmux server of the test's own (BATON_TMUX_SOCKET), real
 * worktrees, and the hub in the session's first window supervising them.
 */
describe("baton up / down with simulated agents in real tmux", () => {
  it("starts one session per repository with a window and a worktree per agent; they work; down stops and keeps their work", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const env = { BATON_TMUX_SOCKET: tmuxSocket() };
    for (let i = 1; i <= 4; i++)
      expect(baton(repo, ["task", "add", `task ${i}`], { BATON_AGENT: "lea" }).code).toBe(0);

    const up = baton(repo, ["up", "-n", "2", "--agent", "sim", "--json"], env);
    expect(up.code, up.stderr).toBe(0);
    const team = up.json().team;
    const session = `baton-${createHash("sha256").update(repo).digest("hex").slice(0, 8)}`;
    expect(team.session).toBe(session);
    expect(team.agents.map((a: { name: string }) => a.name)).toEqual(["sim-1", "sim-2"]);
    for (const agent of team.agents) {
      expect(agent.cwd).toBe(join(repo, ".baton", "worktrees", agent.name));
      expect(agent.branch).toBe(`baton/${agent.name}`);
      expect(git(agent.cwd, "rev-parse", "--abbrev-ref", "HEAD")).toBe(agent.branch);
    }
    expect(Math.abs(team.agents[0].port - team.agents[1].port)).toBeGreaterThanOrEqual(10);

    const windows = tmux(env.BATON_TMUX_SOCKET, "list-windows", "-t", `=${session}`, "-F", "#{window_name}");
    expect(windows.split("\n")).toEqual(["hub", "sim-1", "sim-2"]);
    const sessionEnv = tmux(env.BATON_TMUX_SOCKET, "show-environment", "-t", `=${session}`);
    expect(sessionEnv).toContain(`BATON_PROJECT=${repo}`);
    expect(sessionEnv).toContain("BATON_AGENTS=2");

    // The agents take every task, each edit committed on its own branch.
    await until("every task done", () => (tasks(repo).every((t) => t.status === "done") ? true : undefined));
    const by = completedBy(repo);
    expect([...by.keys()].sort()).toEqual(["T-1", "T-2", "T-3", "T-4"]);
    for (const [task, agent] of by) {
      expect(["sim-1", "sim-2"]).toContain(agent);
      expect(git(repo, "log", "--format=%s", `baton/${agent}`, "--", `sim/${task}.md`)).toContain(task);
    }

    // One team per repository.
    const again = baton(repo, ["up", "-n", "1", "--agent", "sim"], env);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/already runs .*baton down/s);

    // A running agent's worktree is never removed, even forced.
    const cleanup = baton(repo, ["cleanup", "sim-1", "--force", "--json"], env);
    expect(cleanup.code).toBe(3);
    expect(cleanup.stdout).toContain("its process runs in the team's tmux session");
    expect(existsSync(join(repo, ".baton", "worktrees", "sim-1"))).toBe(true);

    const sessions = baton(repo, ["sessions", "--json"], env).json().sessions;
    expect(sessions).toContainEqual(expect.objectContaining({ session, project: repo, agents: 2 }));

    const down = baton(repo, ["down", "--json"], env);
    expect(down.code, down.stderr).toBe(0);
    expect(down.json().quit.sort()).toEqual(["sim-1", "sim-2"]);
    expect(
      spawnSync("tmux", ["-S", env.BATON_TMUX_SOCKET, "has-session", "-t", `=${session}`]).status,
    ).not.toBe(0);
    // Nothing deleted: worktrees, branches and commits stay.
    for (const agent of team.agents) expect(existsSync(join(agent.cwd, ".git"))).toBe(true);
    expect(git(repo, "branch", "--list", "baton/*")).toMatch(/baton\/sim-1[\s\S]*baton\/sim-2/);
    expect(baton(repo, ["down"], env).code).toBe(4);
  });

  it("the hub restarts an agent whose process dies, once; the second time it tells the humans", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const env = { BATON_TMUX_SOCKET: tmuxSocket(), BATON_SIM_CRASH_AFTER: "1" };
    for (let i = 1; i <= 2; i++) baton(repo, ["task", "add", `task ${i}`], { BATON_AGENT: "lea" });
    const up = baton(repo, ["up", "-n", "1", "--agent", "sim", "--json"], env);
    expect(up.code, up.stderr).toBe(0);

    const events = () =>
      (baton(repo, ["log", "--json"]).json().events as { type: string; data?: { agent?: string } }[]).map(
        (e) => e.type,
      );
    await until("the agent given up on", () => (events().includes("team.gave_up") ? true : undefined));
    const types = events();
    // It finished a task, died, was restarted, finished the other, died again.
    expect(types.indexOf("team.restarted")).toBeGreaterThan(types.indexOf("task.completed"));
    expect(types.lastIndexOf("task.completed")).toBeGreaterThan(types.indexOf("team.restarted"));
    expect(types.filter((t) => t === "team.restarted")).toHaveLength(1);
    expect(tasks(repo).map((t) => t.status)).toEqual(["done", "done"]);
    const record = JSON.parse(readFileSync(join(repo, ".baton", "team.json"), "utf8"));
    expect(record.agents[0]).toMatchObject({ name: "sim-1", restarts: 1 });
    expect(record.agents[0].stoppedAt).toEqual(expect.any(Number));
    const inbox = baton(repo, ["inbox", "--json"], { BATON_AGENT: "lea" }).json();
    expect(JSON.stringify(inbox)).toContain("sim-1 exited again");
    expect(baton(repo, ["down", "--force"], env).code).toBe(0);
  });
});

describe("a stuck agent", () => {
  it("is restarted only when two signs agree (no word from it and no output, past hung_after), and finishes its task", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeConfig(repo, { humans: ["lea"], hung_after: "2s", claim_ttl: "10m" });
    const env = { BATON_TMUX_SOCKET: tmuxSocket(), BATON_SIM_HANG_ONCE: "sim-1" };
    baton(repo, ["task", "add", "hang on this"], { BATON_AGENT: "lea" });
    const up = baton(repo, ["up", "-n", "1", "--agent", "sim", "--json"], env);
    expect(up.code, up.stderr).toBe(0);
    const [restart] = await until("the stuck agent restarted", () => {
      const found = events(repo, "team.restarted");
      return found.length ? found : undefined;
    });
    expect(restart!.summary).toMatch(
      /^sim-1 was \(stuck: no word from it for \d+s and no output for \d+s\); restarted$/,
    );
    // Restarted in its worktree, it resumes the task it held and finishes it; nothing was failed.
    await until("the task done", () => (tasks(repo)[0]?.status === "done" ? true : undefined));
    expect(tasks(repo)[0]).toMatchObject({ attempts: 0 });
    expect(teamRecord(repo).agents[0]).toMatchObject({ restarts: 1, stoppedAt: null });
    expect(baton(repo, ["down", "--force"], env).code).toBe(0);
  });

  it("one still printing is shown stuck but not restarted: one sign alone is not enough", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeConfig(repo, { humans: ["lea"], hung_after: "2s", claim_ttl: "10m" });
    const env = { BATON_TMUX_SOCKET: tmuxSocket(), BATON_SIM_HANG_ONCE: "sim-1", BATON_SIM_HANG_OUTPUT: "1" };
    baton(repo, ["task", "add", "hang on this"], { BATON_AGENT: "lea" });
    expect(baton(repo, ["up", "-n", "1", "--agent", "sim"], env).code).toBe(0);
    const status = () => baton(repo, ["status", "--json"], { BATON_AGENT: "lea" }).json().status;
    await until("the agent shown stuck", () => {
      const sim = status().agents.find((a: { name: string }) => a.name === "sim-1");
      return sim?.status === "hung" && sim.activity?.state === "working" ? true : undefined;
    });
    // Three times hung_after, and the supervisor looks every 2 s: it saw, and left it running.
    await sleep(6000);
    expect(events(repo, "team.restarted")).toEqual([]);
    expect(tasks(repo)[0]).toMatchObject({ status: "claimed", holder: "sim-1" });
    expect(baton(repo, ["down", "--force"], env).code).toBe(0);
  });
});

describe("baton up with an interactive host (a stand-in for Claude Code, reporting through baton's hooks)", () => {
  /** A `claude` on PATH that is test/workers/fake-host.mjs, and where it writes what it was typed. */
  function fakeClaude(): { env: Record<string, string>; typed: () => string[] } {
    const { env, log } = fakeClaudeBin(tempDir("baton-fake-host-"), CLI);
    return { env, typed: () => readFileSync(log, "utf8").split("\n").filter(Boolean) };
  }

  it("an idle agent is told once of a message and of a task assigned to it; nudge text arrives byte for byte", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const host = fakeClaude();
    const env = { BATON_TMUX_SOCKET: tmuxSocket(), ...host.env };
    const up = baton(repo, ["up", "-n", "1", "--agent", "claude", "--json"], env);
    expect(up.code, up.stderr).toBe(0);
    const activity = () =>
      (
        baton(repo, ["agents", "--json"]).json().agents as {
          name: string;
          activity: { state: string } | null;
        }[]
      ).find((a) => a.name === "claude-1")?.activity;
    await until("claude-1 idle", () => (activity()?.state === "idle" ? true : undefined));

    expect(
      baton(repo, ["send", "claude-1", "please look at the login bug"], { BATON_AGENT: "lea" }).code,
    ).toBe(0);
    const told = await until("the message delivered", () =>
      host.typed().find((line) => line.includes("unread baton message")),
    );
    expect(told).toBe(
      "baton: you have 1 unread baton message: read them first. Then carry on with the protocol.",
    );
    // The agent left it unread and is idle again: the same news is not typed again.
    await sleep(5000);
    expect(host.typed().filter((line) => line.includes("unread baton message"))).toHaveLength(1);

    baton(repo, ["task", "add", "fix the login bug", "--assign", "claude-1"], { BATON_AGENT: "lea" });
    await until("the assignment delivered", () =>
      host.typed().find((line) => line.includes("T-1 is assigned to you")),
    );
    expect(baton(repo, ["log", "--type", "team.dispatched", "--json"]).json().events).toHaveLength(2);

    const hostile = "x; $(touch pwned) `id` #(touch pwned2) -- 'quotes' \"dq\" ünï 😀";
    expect(baton(repo, ["nudge", "claude-1", hostile], env).code).toBe(0);
    await until("the nudge", () => host.typed().find((line) => line === hostile));
    expect(existsSync(join(repo, "pwned"))).toBe(false);
    expect(existsSync(join(repo, ".baton", "worktrees", "claude-1", "pwned"))).toBe(false);
    expect(existsSync(join(repo, ".baton", "worktrees", "claude-1", "pwned2"))).toBe(false);
    expect(baton(repo, ["down"], env).code).toBe(0);
  });
});
