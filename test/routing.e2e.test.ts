import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ManualClock, openWorkspace } from "../src/index.js";
import { baton, tempRepo } from "./helpers/temp-repo.js";

const as = (name: string) => ({ BATON_AGENT: name });

function withQueues(repo: string): void {
  writeFileSync(
    join(repo, ".baton/config.json"),
    `{
      // mai-cli's names on purpose: owner and sla_hours
      "queues": {
        "tasks": { "prefix": "T" },
        "reviews": { "prefix": "REV", "owner": "reviewer", "sla_hours": 1, "claim_policy": "handler-only" }
      },
      "humans": ["lea"]
    }`,
  );
}

describe("routing and SLAs", () => {
  it("detects overdue tasks with the injectable clock, and the guardian pass escalates them", async () => {
    const repo = tempRepo();
    withQueues(repo);
    const clock = new ManualClock(Date.UTC(2026, 10, 21, 9));
    await using lea = await openWorkspace({ cwd: repo, as: "lea", clock });
    await lea.agents.join({ kind: "human" });
    const task = await lea.tasks.add("Review the login PR", { queue: "reviews" });
    expect(task.dueAt).toBe(clock.now() + 60 * 60_000);
    clock.advance(59 * 60_000);
    expect(await lea.queues.check({ overdueOnly: true })).toEqual([]);
    clock.advance(2 * 60_000);
    const [report] = await lea.queues.check({ overdueOnly: true });
    expect(report).toMatchObject({
      queue: "reviews",
      handler: "reviewer",
      slaMinutes: 60,
      claimPolicy: "handler-only",
    });
    expect(report!.overdue.map((t) => t.id)).toEqual([task.id]);
    const swept = await lea.agents.sweep();
    expect(swept.escalatedTasks).toEqual([task.id]);
    const inbox = await lea.messages.inbox();
    expect(inbox.messages[0]!.body).toContain("overdue");
  });

  it("queue check, blockers, escalate and escalations from the CLI", () => {
    const repo = tempRepo();
    withQueues(repo);
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    baton(repo, ["agent", "join", "rita", "--role", "reviewer"]);
    baton(repo, ["task", "add", "design"], as("lea"));
    baton(repo, ["task", "add", "build", "--after", "T-1"], as("lea"));
    baton(repo, ["task", "add", "review", "--queue", "reviews"], as("lea"));
    const check = baton(repo, ["queue", "check", "--json"]).json();
    expect(
      check.queues.map((q: { queue: string; counts: { open: number } }) => [q.queue, q.counts.open]),
    ).toEqual([
      ["tasks", 2],
      ["reviews", 1],
    ]);
    expect(baton(repo, ["queue", "check", "nope"]).code).toBe(4);
    const blockers = baton(repo, ["queue", "blockers", "--json"]).json().blockers;
    expect(blockers).toMatchObject([{ task: { id: "T-2" }, waitingOn: [{ id: "T-1", status: "open" }] }]);
    const forbidden = baton(repo, ["task", "claim", "REV-1", "--json"], as("dev"));
    expect(forbidden.json().error).toMatchObject({ code: "forbidden" });
    expect(baton(repo, ["task", "claim", "REV-1"], as("rita")).code).toBe(0);
    expect(
      baton(repo, ["task", "escalate", "REV-1", "--reason", "needs a second reviewer"], as("rita")).code,
    ).toBe(0);
    const escalations = baton(repo, ["escalations", "--json"]).json().escalations;
    expect(escalations).toMatchObject([{ task: "REV-1", by: "rita", reason: "needs a second reviewer" }]);
    const inbox = baton(repo, ["inbox", "--json"], as("lea")).json();
    expect(inbox.messages[0].body).toContain("Held by rita");
    expect(baton(repo, ["task", "show", "REV-1"]).stdout).toContain("due");
  });
});
