import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeAgentNamesConformance } from "../../../test/conformance/agent-names-conformance.js";
import { describeAuthConformance } from "../../../test/conformance/auth-conformance.js";
import { describeBlockedTasksConformance } from "../../../test/conformance/blocked-tasks-conformance.js";
import { describeEditConformance } from "../../../test/conformance/edit-conformance.js";
import { describeLostHoldsConformance } from "../../../test/conformance/lost-holds-conformance.js";
import { describeStoreConformance, type StoreFactory } from "../../../test/conformance/store-conformance.js";
import { tempDir } from "../../../test/helpers/temp-repo.js";
import { ManualClock } from "../../clock.js";
import { Connection } from "./connection.js";
import { openDatabase } from "./driver.js";
import { MIGRATIONS } from "./migrations.js";
import { SqliteStore } from "./sqlite-store.js";

const sqlite: StoreFactory = async (clock) => new SqliteStore({ path: join(tempDir(), "baton.db"), clock });

describeStoreConformance("sqlite", sqlite);
describeLostHoldsConformance("sqlite", sqlite);
describeBlockedTasksConformance("sqlite", sqlite);
describeAgentNamesConformance("sqlite", sqlite);
describeAuthConformance("sqlite", sqlite);

describe("blocked is derived, never stored (sqlite)", () => {
  it("a dependency made open again (reopened) unblocks its dependents, and its completion makes them ready", async () => {
    const path = join(tempDir(), "baton.db");
    const store = new SqliteStore({ path, clock: new ManualClock() });
    try {
      const add = (title: string, dependsOn: string[] = []) =>
        store.addTask({ actor: "boss", prefix: "T", queue: "tasks", title, dependsOn, maxAttempts: 1 });
      const cause = await add("schema");
      const blocked = await add("api", [cause.id]);
      await store.cancelTask({ actor: "boss", id: cause.id, reason: null });
      expect((await store.getTask({ id: blocked.id })).blockedBy).toHaveLength(1);
      // Whatever reopens a task sets it open again; nothing else has to be told.
      const raw = new Connection(path);
      raw.write(() => raw.run(`UPDATE tasks SET status = 'open', result = NULL WHERE id = ?`, cause.id));
      raw.close();
      expect((await store.getTask({ id: blocked.id })).blockedBy).toEqual([]);
      expect((await store.listTasks({ ready: true, readyFor: "a" })).map((t) => t.id)).toEqual([cause.id]);
      await store.claimTask({ actor: "a", id: cause.id, ttlMs: 1000 });
      await store.completeTask({ actor: "a", id: cause.id });
      expect((await store.listTasks({ ready: true, readyFor: "a" })).map((t) => t.id)).toEqual([blocked.id]);
    } finally {
      await store.close();
    }
  });
});

describe("agent names unique whatever their case: the migration (sqlite)", () => {
  it("upgrades a database that already has case twins; they keep working, no new twin is let in", async () => {
    const path = join(tempDir(), "baton.db");
    // A hub written before names were unique in any case, with Lea beside lea.
    const old = openDatabase(path);
    // The schema just before the migration that folds names (later migrations follow it as usual).
    const before = MIGRATIONS.findIndex((sql) => sql.includes("agents_unique_folded_name"));
    for (const migration of MIGRATIONS.slice(0, before)) old.exec(migration);
    old.exec(`PRAGMA user_version = ${before}`);
    old.exec(
      `INSERT INTO agents (name, kind, joined_at, last_seen_at) VALUES ('lea', 'human', 1, 1), ('Lea', 'human', 2, 2)`,
    );
    old.close();
    const store = new SqliteStore({ path, clock: new ManualClock(10) });
    try {
      expect((await store.heartbeat({ actor: "Lea" })).agent).toBe("Lea");
      expect((await store.heartbeat({ actor: "lea" })).agent).toBe("lea");
      await expect(store.joinAgent({ actor: "LEA", kind: "human" })).rejects.toMatchObject({
        code: "not_found",
        details: { didYouMean: ["lea"] },
      });
      const agents = await store.listAgents({ hungAfterMs: 1, offlineAfterMs: 1 });
      expect(agents.map((a) => a.name).sort()).toEqual(["Lea", "lea"]);
    } finally {
      await store.close();
    }
  });

  it("the database itself refuses a case twin, whatever code inserts it", async () => {
    const path = join(tempDir(), "baton.db");
    const conn = new Connection(path);
    try {
      await conn.write(() =>
        conn.run(`INSERT INTO agents (name, kind, joined_at, last_seen_at) VALUES ('lea', 'human', 1, 1)`),
      );
      await expect(
        conn.write(() =>
          conn.run(`INSERT INTO agents (name, kind, joined_at, last_seen_at) VALUES ('LEA', 'human', 1, 1)`),
        ),
      ).rejects.toThrow(/another case/);
    } finally {
      conn.close();
    }
  });
});
describeEditConformance("sqlite", sqlite);
