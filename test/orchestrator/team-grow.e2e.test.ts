import { describe, expect, it } from "vitest";
import { connectMcp } from "../helpers/mcp-client.js";
import { baton, tempRepo } from "../helpers/temp-repo.js";
import { events, tasks, teamRecord, tmuxSocket, until, windowNames, writeConfig } from "./team-helpers.js";

/**
 * A running team grows and shrinks: `baton spawn` / `baton stop` and the lead's
 * MCP tools (spawn_agent, stop_agent, delegate), within the config's limits,
 * with baton's simulated agents in a real tmux server of the test's own and
 * the hub's supervisor seeing stops through.
 */

interface ToolAnswer {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text?: string }[];
}

function textOf(result: ToolAnswer): string {
  return result.content.map((c) => c.text ?? "").join("\n");
}

describe("a running team changed from inside", () => {
  it("spawn and stop from the command line: limits refused with hints, a stop the agent confirms, and one it ignores until baton ends it", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeConfig(repo, { humans: ["lea"], team: { max_agents: 2, allowed_hosts: ["sim"] } });
    const env = { BATON_TMUX_SOCKET: tmuxSocket(), BATON_SIM_IGNORE_STOP: "sim-3" };
    const lea = { ...env, BATON_AGENT: "lea" };
    expect(baton(repo, ["up", "-n", "3", "--agent", "sim"], env).stderr).toContain("team.max_agents is 2");
    const up = baton(repo, ["up", "-n", "1", "--agent", "sim"], env);
    expect(up.code, up.stderr).toBe(0);
    const session = teamRecord(repo).session;

    const spawned = baton(repo, ["spawn", "--agent", "sim", "--role", "reviewer", "--json"], lea);
    expect(spawned.code, spawned.stderr).toBe(0);
    expect(spawned.json().agent).toMatchObject({ name: "sim-2", role: "reviewer", branch: "baton/sim-2" });
    expect(windowNames(env.BATON_TMUX_SOCKET, session)).toEqual(["hub", "sim-1", "sim-2"]);
    expect(events(repo, "team.spawned")).toEqual([
      expect.objectContaining({
        subject: "sim-2",
        data: expect.objectContaining({ by: "lea", role: "reviewer" }),
      }),
    ]);
    // It works like any teammate: it takes a task and does it.
    baton(repo, ["task", "add", "review the docs"], lea);
    await until("the task done", () => (tasks(repo).every((t) => t.status === "done") ? true : undefined));

    const full = baton(repo, ["spawn", "--agent", "sim"], lea);
    expect(full.code).toBe(3);
    expect(full.stderr).toContain("team.max_agents allows 2");
    expect(full.stderr).toContain("baton stop AGENT");
    const notAllowed = baton(repo, ["spawn", "--agent", "claude"], lea);
    expect(notAllowed.code).toBe(6);
    expect(notAllowed.stderr).toContain('"team.allowed_hosts"');

    // Asked to stop, sim-2 finishes its step and leaves: the stop is confirmed, nothing is restarted.
    const stop = baton(repo, ["stop", "sim-2", "--reason", "review done", "--json"], lea);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.json()).toMatchObject({ agent: "sim-2", stopped: true, confirmed: true });
    const stopped = events(repo, "team.").filter((e) => e.type.startsWith("team.stop"));
    expect(stopped.map((e) => e.type)).toEqual(["team.stop_requested", "team.stopped"]);
    expect(stopped[1]!.data).toMatchObject({ by: "lea", reason: "review done", confirmed: true });
    const inbox = baton(repo, ["log", "--json", "--type", "agent.left"]).json().events;
    expect(inbox.map((e: { actor: string }) => e.actor)).toContain("sim-2");
    await until("sim-2's window gone", () =>
      windowNames(env.BATON_TMUX_SOCKET, session).includes("sim-2") ? undefined : true,
    );
    expect(teamRecord(repo).agents[1]).toMatchObject({
      name: "sim-2",
      restarts: 0,
      stoppedAt: expect.any(Number),
    });

    // A stopped agent no longer counts: there is room for sim-3, which pays no heed to stop requests.
    expect(baton(repo, ["spawn", "--agent", "sim"], lea).code).toBe(0);
    await until("sim-3 joined", () =>
      (baton(repo, ["agents", "--json"]).json().agents as { name: string }[]).some((a) => a.name === "sim-3")
        ? true
        : undefined,
    );
    expect(baton(repo, ["lock", "src/held.ts", "--as", "sim-3"]).code).toBe(0);
    const ignored = baton(repo, ["stop", "sim-3", "--timeout", "2s", "--json"], lea);
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(ignored.json()).toMatchObject({ agent: "sim-3", stopped: true, confirmed: false });
    const last = events(repo, "team.stopped").at(-1)!;
    expect(last).toMatchObject({ subject: "sim-3", data: expect.objectContaining({ confirmed: false }) });
    expect(baton(repo, ["locks", "--json"]).json().leases).toEqual([]);
    expect(windowNames(env.BATON_TMUX_SOCKET, session)).toEqual(["hub", "sim-1"]);

    const again = baton(repo, ["stop", "sim-3"], lea);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("stopped already");
    expect(baton(repo, ["down"], env).code).toBe(0);
  });

  it("a lead's MCP tools: delegate to a new teammate and to itself, spawn_agent refusing unknown arguments, stop_agent answering at once, leave_team confirming a stop", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeConfig(repo, { humans: ["lea"], team: { max_agents: 3, allowed_hosts: ["sim", "node"] } });
    const env = { BATON_TMUX_SOCKET: tmuxSocket() };
    expect(baton(repo, ["up", "-n", "1", "--agent", "sim", "--roles", "lead"], env).code).toBe(0);
    const lead = await connectMcp(repo, "sim-1");
    const call = async (name: string, args: Record<string, unknown>) =>
      (await lead.callTool({ name, arguments: args })) as ToolAnswer;

    const typo = await call("spawn_agent", { host: "sim", nmae: "x" });
    expect(typo.isError).toBe(true);
    expect(textOf(typo)).toContain("unknown argument 'nmae' (did you mean 'name'?)");
    const neither = await call("delegate", { title: "orphan" });
    expect(neither.isError).toBe(true);
    expect(textOf(neither)).toContain("pass to (an agent's name), or host and/or role");
    expect(tasks(repo)).toEqual([]);

    // One call: the task made, a reviewer started for it, and the task given to it, which does it.
    const delegated = await call("delegate", { title: "review the parser", role: "reviewer", host: "sim" });
    expect(delegated.isError, textOf(delegated)).toBeFalsy();
    const answer = JSON.parse(textOf(delegated)) as { task: { id: string }; to: string; spawned: boolean };
    expect(answer).toMatchObject({ to: "sim-2", spawned: true });
    await until("the delegated task done", () =>
      tasks(repo).find((t) => t.id === answer.task.id)?.status === "done" ? true : undefined,
    );
    expect(baton(repo, ["log", "--json", "--type", "task.completed"]).json().events[0].actor).toBe("sim-2");
    expect(events(repo, "team.delegated")).toEqual([
      expect.objectContaining({
        subject: "sim-2",
        data: expect.objectContaining({ by: "sim-1", spawned: true }),
      }),
    ]);
    expect(events(repo, "team.spawned")[0]!.data).toMatchObject({ by: "sim-1", task: answer.task.id });

    const mine = await call("delegate", { title: "write the changelog", to: "sim-1", priority: 0 });
    expect(JSON.parse(textOf(mine))).toMatchObject({
      to: "sim-1",
      spawned: false,
      task: { assignee: "sim-1" },
    });

    const spawned = await call("spawn_agent", { host: "sim", name: "helper" });
    expect(JSON.parse(textOf(spawned)).agent).toMatchObject({ name: "helper", url: null });
    const full = await call("spawn_agent", { host: "sim" });
    expect(full.isError).toBe(true);
    expect(textOf(full)).toContain("stop a teammate first (stop_agent)");

    const asked = await call("stop_agent", { agent: "helper", reason: "not needed", timeout_s: 30 });
    expect(asked.isError, textOf(asked)).toBeFalsy();
    expect(JSON.parse(textOf(asked))).toMatchObject({ agent: "helper", deadline: expect.any(String) });
    // The hub's supervisor sees it through: helper leaves when it reads the request.
    await until("helper stopped", () =>
      teamRecord(repo).agents.find((a: { name: string }) => a.name === "helper")?.stoppedAt
        ? true
        : undefined,
    );
    expect(events(repo, "team.stopped")).toEqual([
      expect.objectContaining({
        subject: "helper",
        data: expect.objectContaining({ by: "sim-1", confirmed: true }),
      }),
    ]);

    // An agent of a host with MCP confirms with leave_team; baton then ends its window long before the deadline.
    const sleeper = await call("spawn_agent", {
      host: `${process.execPath} -e setInterval(()=>{},1000)`,
      name: "sleeper",
    });
    expect(sleeper.isError, textOf(sleeper)).toBeFalsy();
    expect((await call("stop_agent", { agent: "sleeper", timeout_s: 600 })).isError).toBeFalsy();
    const itself = await connectMcp(repo, "sleeper");
    const leaving = (await itself.callTool({ name: "leave_team", arguments: {} })) as ToolAnswer;
    expect(JSON.parse(textOf(leaving))).toMatchObject({ stopConfirmed: true });
    await until(
      "sleeper stopped",
      () =>
        teamRecord(repo).agents.find((a: { name: string }) => a.name === "sleeper")?.stoppedAt
          ? true
          : undefined,
      30_000,
    );
    expect(events(repo, "team.stopped").at(-1)).toMatchObject({
      subject: "sleeper",
      data: expect.objectContaining({ by: "sim-1", confirmed: true }),
    });

    const self = await call("stop_agent", { agent: "sim-1" });
    expect(textOf(self)).toContain("call leave_team");
    expect(baton(repo, ["down"], env).code).toBe(0);
  });
});
