import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../../test/helpers/temp-repo.js";
import { openDatabase } from "./driver.js";
import { readyScope } from "./ops/claim-task.js";
import { TASK_COLUMNS } from "./rows.js";
import { SqliteStore } from "./sqlite-store.js";
import { EXPIRED_CLAIMS } from "./tx.js";

/**
 * The queries every write or every claim runs must search an index, never walk
 * the whole tasks table: a plan that scans made claims 15× slower at 32,000
 * tasks, and no test of behaviour could see it. The plan is what SQLite says it
 * will do (EXPLAIN QUERY PLAN), on a real database with baton's schema.
 */
async function plan(sql: string, params: unknown[] | Record<string, unknown>): Promise<string> {
  const path = join(tempDir(), "baton.db");
  await new SqliteStore({ path }).close(); // the schema, migrated
  const db = openDatabase(path);
  try {
    const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
    const rows = (Array.isArray(params) ? statement.all(...params) : statement.all(params)) as {
      detail: string;
    }[];
    return rows.map((row) => row.detail).join(" | ");
  } finally {
    db.close();
  }
}

/** The plan's step for the outer tasks table: a SEARCH with an index, not a SCAN. */
function outerStep(detail: string): string {
  return detail.split(" | ").find((step) => /\b(SCAN|SEARCH) t\b/.test(step)) ?? "";
}

describe("hot queries use an index", () => {
  it("the sweep of expired claims, run by every write", async () => {
    const detail = await plan(EXPIRED_CLAIMS, [0]);
    expect(outerStep(detail), detail).toMatch(/^SEARCH t USING INDEX tasks_claimed_by_expiry/);
  });

  it("the next ready task a claim takes, with and without a queue, tags or closed queues", async () => {
    for (const input of [
      {},
      { queue: "tasks" },
      { tags: ["web"] },
      { handlerOnly: { review: "reviewer" } },
    ]) {
      const { where, params } = readyScope("a", null, input);
      const detail = await plan(
        `SELECT ${TASK_COLUMNS} FROM tasks t WHERE ${where} ORDER BY t.priority, t.seq LIMIT 1`,
        params,
      );
      expect(outerStep(detail), `${JSON.stringify(input)}: ${detail}`).toMatch(
        /USING (COVERING )?INDEX tasks_ready/,
      );
    }
  });
});
