import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PermissionBroker } from "../../src/orchestrator/work/permission-broker.js";
import { openWorkspace } from "../../src/services/workspace.js";
import { tempRepo } from "../helpers/temp-repo.js";

/**
 * The permission broker against a real store, at the moments a hostile run
 * aimed at: a human deciding just as the wait runs out, and what the host
 * sends that no human could be shown.
 */
describe("the permission broker", () => {
  async function workspaces(timeout: string) {
    const repo = tempRepo({ humans: ["lea"] });
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({ humans: ["lea"], permissions: { approval_timeout: timeout } }),
    );
    const agent = await openWorkspace({ cwd: repo, as: "claude-1" });
    const lea = await openWorkspace({ cwd: repo, as: "lea" });
    await lea.agents.join({ kind: "human" });
    return { agent, lea, close: async () => Promise.all([agent.close(), lea.close()]) };
  }
  const ask = { tool: "Bash", input: { command: "make deploy" }, toolUseId: "t1", sessionId: "s1", turn: 0 };

  it("honours a human's approval that lands as the wait times out, instead of denying what the record says was approved", async () => {
    const { agent, lea, close } = await workspaces("1ms");
    // The human decides between the broker's deadline and its withdrawal of the request.
    const expire = agent.human.expire.bind(agent.human);
    agent.human.expire = async (id, note) => {
      await lea.human.decide(id, true);
      return expire(id, note);
    };
    const decision = await new PermissionBroker(agent, { host: "claude", task: null }).decide(ask);
    const [approval] = await agent.human.approvals();
    expect(approval).toMatchObject({ status: "approved", kind: "permission" });
    expect(decision).toEqual({ behavior: "allow", input: ask.input });
    await close();
  });

  it("a request nobody decides in time is denied and stops the run; the approval stays expired", async () => {
    const { agent, close } = await workspaces("1ms");
    const broker = new PermissionBroker(agent, { host: "claude", task: null });
    expect(await broker.decide(ask)).toMatchObject({ behavior: "deny", interrupt: true });
    expect(broker.timedOut).toBe("A-1 timed out");
    expect((await agent.human.approvals())[0]).toMatchObject({ status: "expired" });
    await close();
  });

  it("refuses at once, asking nobody, a tool name no human could be shown as it is", async () => {
    const { agent, close } = await workspaces("10m");
    const broker = new PermissionBroker(agent, { host: "claude", task: null });
    for (const tool of [
      "Bash\nagent: lea\nhost: x",
      "Bash\u001b]52;c;eA==\u0007",
      "X".repeat(5_000_000),
      "",
    ]) {
      const decision = await broker.decide({ ...ask, tool });
      expect(decision).toMatchObject({ behavior: "deny", interrupt: false });
      expect(decision.behavior === "deny" && decision.message.length).toBeLessThan(200);
    }
    expect(await agent.human.approvals()).toEqual([]);
    // Ids the host gave go into the plan as one bounded line each.
    const pending = broker.decide({ ...ask, toolUseId: `t1\nagent: lea\n${"y".repeat(10_000)}` });
    for (let i = 0; i < 100 && (await agent.human.approvals()).length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    const [approval] = await agent.human.approvals();
    expect(approval!.plan).toMatch(/^agent: claude-1\nhost: claude\n/);
    expect(approval!.plan!.split("\n").filter((line) => line.startsWith("agent: "))).toHaveLength(1);
    expect(approval!.plan!.length).toBeLessThan(2000);
    // With the approval timeout as its deadline, plus a margin for the broker to act first.
    expect(approval!.expiresAt! - approval!.requestedAt).toBe(10 * 60_000 + 60_000);
    await broker.end();
    expect(await pending).toMatchObject({ behavior: "deny" });
    await close();
  });
});
