import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { baton, tempRepo } from "./helpers/temp-repo.js";

const as = (name: string) => ({ BATON_AGENT: name });

describe("a holder learns what it lost, whichever process noticed first", () => {
  it("heartbeat after another command swept an expired claim and lease: exit 3 once, saying what and what to do", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["task", "add", "work"], as("lead"));
    expect(baton(repo, ["task", "claim", "T-1", "--ttl", "1s"], as("slow")).code).toBe(0);
    expect(baton(repo, ["lock", "src/a.ts", "--ttl", "1s"], as("slow")).code).toBe(0);
    await sleep(1100);
    // Someone else looks first: their command sweeps the expired claim and lease.
    expect(baton(repo, ["task", "list"], as("quick")).code).toBe(0);
    const beat = baton(repo, ["heartbeat"], as("slow"));
    expect(beat.code).toBe(3);
    expect(beat.stdout).toContain("lost your claim on T-1");
    expect(beat.stdout).toContain("lost your lease on src/a.ts");
    expect(beat.stdout).toContain("expired");
    expect(beat.stdout).toContain("stop work on it");
    expect(beat.stdout).not.toContain("nothing held");
    const again = baton(repo, ["heartbeat", "--json"], as("slow"));
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ lost: [], lostTasks: [], lostLeases: [] });
    // The stale completion says what ended the claim.
    const done = baton(repo, ["task", "done", "T-1", "--json"], as("slow"));
    expect(done.code).toBe(3);
    expect(done.json().error.message).toContain("expired");
    expect(done.json().error.hint).toContain("baton task claim T-1");
  });

  it("a task cancelled under its holder and a lease force-released: --json lists them, exit 3", () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    baton(repo, ["task", "add", "work"], as("lea"));
    baton(repo, ["task", "claim", "T-1"], as("dev"));
    baton(repo, ["lock", "src/a.ts"], as("dev"));
    baton(repo, ["task", "cancel", "T-1", "--reason", "dropped", "--yes"], as("lea"));
    baton(repo, ["lock", "force-release", "src/a.ts", "--yes"], as("lea"));
    const beat = baton(repo, ["heartbeat", "--json"], as("dev"));
    expect(beat.code).toBe(3);
    expect(beat.json().lost.map((l: { subject: string; reason: string }) => [l.subject, l.reason])).toEqual([
      ["T-1", "cancelled"],
      ["src/a.ts", "force_released"],
    ]);
  });
});

describe("tasks that can never start are blocked, and the human is told", () => {
  it("list shows them blocked, --ready leaves them out, claim says why, the human's inbox has the notice", () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    baton(repo, ["task", "add", "schema"], as("lea"));
    baton(repo, ["task", "add", "api", "--after", "T-1"], as("lea"));
    baton(repo, ["task", "add", "docs"], as("lea"));
    baton(repo, ["task", "cancel", "T-1", "--reason", "wrong approach"], as("dev")); // a human would get no notice of their own act
    const list = baton(repo, ["task", "list"]);
    expect(list.stdout).toMatch(/T-2\s+2\s+blocked/);
    const ready = baton(repo, ["task", "list", "--ready", "--json"], as("dev")).json().tasks;
    expect(ready.map((t: { id: string }) => t.id)).toEqual(["T-3"]);
    const claim = baton(repo, ["task", "claim", "T-2", "--json"], as("dev"));
    expect(claim.json().error).toMatchObject({ code: "not_ready" });
    expect(claim.json().error.message).toContain("T-2 is blocked");
    expect(claim.json().error.hint).toContain("baton task dep rm T-2 T-1");
    expect(claim.json().error.hint).not.toContain("claim one of those first");
    const show = baton(repo, ["task", "show", "T-2"]);
    expect(show.stdout).toContain("T-1 was cancelled");
    const inbox = baton(repo, ["inbox", "--json"], as("lea")).json().messages;
    expect(inbox).toHaveLength(1);
    expect(inbox[0].body).toContain("T-2");
    expect(inbox[0].body).toContain("wrong approach");
    // The human removes the dependency: ready at once.
    baton(repo, ["task", "dep", "rm", "T-2", "T-1"], as("lea"));
    expect(baton(repo, ["task", "claim", "T-2", "--json"], as("dev")).json().task.id).toBe("T-2");
  });

  it("--ready shows only what claim grants: no handler-only task of another role", () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({
        queues: {
          tasks: { prefix: "T" },
          reviews: { prefix: "REV", handler: "reviewer", claim_policy: "handler-only" },
        },
      }),
    );
    baton(repo, ["agent", "join", "dev", "--role", "developer"]);
    baton(repo, ["agent", "join", "rita", "--role", "reviewer"]);
    baton(repo, ["task", "add", "review the PR", "--queue", "reviews", "--priority", "0"], as("lead"));
    baton(repo, ["task", "add", "build"], as("lead"));
    const ready = (who: string) =>
      baton(repo, ["task", "list", "--ready", "--json"], as(who))
        .json()
        .tasks.map((t: { id: string }) => t.id);
    expect(ready("dev")).toEqual(["T-1"]);
    expect(ready("rita")).toEqual(["REV-1", "T-1"]);
    expect(
      baton(repo, ["task", "list", "--ready", "--json"])
        .json()
        .tasks.map((t: { id: string }) => t.id),
    ).toEqual(["T-1"]);
    expect(baton(repo, ["task", "claim", "--json"], as("dev")).json().task.id).toBe("T-1");
    expect(baton(repo, ["task", "claim", "--json"], as("rita")).json().task.id).toBe("REV-1");
  });
});
