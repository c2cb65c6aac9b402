import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { startNode, waitForOutput } from "./helpers/processes.js";
import { baton, tempDir, tempRepo } from "./helpers/temp-repo.js";

const PROCESSES = 8;

describe("many OS processes on one SQLite file", () => {
  it("8 processes claiming 2,000 tasks: each task is claimed and completed exactly once", async () => {
    const path = join(tempDir(), "baton.db");
    const store = new SqliteStore({ path });
    for (let i = 0; i < 2000; i++) {
      await store.addTask({ actor: "lead", prefix: "T", queue: "tasks", title: `task ${i}`, maxAttempts: 3 });
    }
    const runs = Array.from(
      { length: PROCESSES },
      (_, i) => startNode("claim-worker.mjs", [path, `worker-${i}`]).done,
    );
    const results = await Promise.all(runs);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const completed = results.flatMap((result) => JSON.parse(result.stdout).completed as string[]);
    expect(completed).toHaveLength(2000);
    expect(new Set(completed).size).toBe(2000);
    const claims = await store.listEvents({ type: "task.claimed" });
    expect(claims).toHaveLength(2000);
    expect(new Set(claims.map((event) => event.subject)).size).toBe(2000);
    const open = await store.listTasks({ status: ["open", "claimed"] });
    expect(open).toEqual([]);
    await store.close();
  });

  it("8 processes locking random paths: exclusive grants of one path never overlap, tokens grow", async () => {
    const path = join(tempDir(), "baton.db");
    const runs = Array.from(
      { length: PROCESSES },
      (_, i) => startNode("lock-worker.mjs", [path, `locker-${i}`, "3"]).done,
    );
    const results = await Promise.all(runs);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const totalGrants = results.reduce(
      (sum, result) => sum + (JSON.parse(result.stdout).grants as number),
      0,
    );
    expect(totalGrants).toBeGreaterThan(100);

    const store = new SqliteStore({ path });
    const events = await store.listEvents({ type: "lease." });
    await store.close();
    const holder = new Map<string, { agent: string; token: number }>();
    const lastToken = new Map<string, number>();
    let grants = 0;
    for (const event of events) {
      if (event.type === "lease.acquired") {
        for (const lease of event.data.after as { path: string; token: number }[]) {
          expect(
            holder.get(lease.path),
            `${lease.path} granted to ${event.actor} while held (event #${event.seq})`,
          ).toBeUndefined();
          expect(lease.token).toBeGreaterThan(lastToken.get(lease.path) ?? 0);
          holder.set(lease.path, { agent: event.actor, token: lease.token });
          lastToken.set(lease.path, lease.token);
          grants++;
        }
      } else if (event.type === "lease.released") {
        for (const lease of event.data.before as { path: string; holder: string; token: number }[]) {
          expect(holder.get(lease.path)).toEqual({ agent: lease.holder, token: lease.token });
          holder.delete(lease.path);
        }
      } else {
        throw new Error(`unexpected ${event.type}: no lease should expire or be forced here`);
      }
    }
    expect(grants).toBe(totalGrants);
    expect(holder.size).toBe(0);
  });

  it("kill -9 of a holder: its claim expires, another agent completes the task, the old holder is refused", async () => {
    const repo = tempRepo();
    const as = (name: string) => ({ BATON_AGENT: name });
    baton(repo, ["task", "add", "survive a crash"], as("lead"));
    // The holder claims through the library with a 5 s TTL (room for a slow CLI start before the
    // first check), then hangs until killed.
    const holder = startNode("hold-claim.mjs", [repo, "doomed", "5000"]);
    await waitForOutput(holder.child, /claimed T-1 token \d+/);
    holder.child.kill("SIGKILL");
    const killed = await holder.done;
    expect(killed.signal).toBe("SIGKILL");
    const token = Number(/token (\d+)/.exec(killed.stdout)![1]);

    expect(baton(repo, ["task", "claim", "--json"], as("rescuer")).json().task).toBeNull();
    // Until the claim's own expiry, not a fixed sleep: how long the CLI took does not matter.
    const expires = baton(repo, ["task", "show", "T-1", "--json"]).json().task.claimExpiresAt as number;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expires - Date.now()) + 100));
    const rescued = baton(repo, ["task", "claim", "--json"], as("rescuer")).json();
    expect(rescued.task).toMatchObject({ id: "T-1", attempts: 1 });
    expect(rescued.token as number).toBeGreaterThan(token);
    expect(baton(repo, ["task", "done", "T-1", "--json"], as("rescuer")).code).toBe(0);
    const stale = baton(repo, ["task", "done", "T-1", "--token", String(token), "--json"], as("doomed"));
    expect(stale.code).toBe(3);
    expect(stale.json().error).toMatchObject({ code: "lease_lost" });
    const types = (baton(repo, ["log", "--task", "T-1", "--json"]).json().events as { type: string }[]).map(
      (e) => e.type,
    );
    expect(types).toEqual(["task.added", "task.claimed", "task.expired", "task.claimed", "task.completed"]);
  });

  it("kill -9 of a writer loses no acknowledged write", async () => {
    const path = join(tempDir(), "baton.db");
    const writer = startNode("add-worker.mjs", [path]);
    await waitForOutput(writer.child, /T-200\n/);
    writer.child.kill("SIGKILL");
    const { stdout } = await writer.done;
    const acknowledged = stdout.trim().split("\n");
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);
    const store = new SqliteStore({ path });
    const stored = new Set((await store.listTasks({ status: ["open"] })).map((task) => task.id));
    await store.close();
    for (const id of acknowledged) expect(stored.has(id), `${id} was acknowledged but is gone`).toBe(true);
  });
});
