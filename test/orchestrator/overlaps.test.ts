import { describe, expect, it } from "vitest";
import { leaseTouchesFromLog } from "../../src/orchestrator/merge/lease-history.js";
import { findOverlaps, type Touch } from "../../src/orchestrator/merge/overlaps.js";

const t = (agent: string, path: string, how: Touch["how"]): Touch => ({ agent, path, how });

describe("findOverlaps", () => {
  it("reports a changed file under its own path, with a glob lease that covers it", () => {
    const overlaps = findOverlaps([t("alice", "src/**", "leased"), t("bob", "src/x.ts", "committed")]);
    expect(overlaps).toEqual([
      {
        path: "src/x.ts",
        agents: [
          { name: "alice", how: ["leased"], leases: ["src/**"] },
          { name: "bob", how: ["committed"] },
        ],
      },
    ]);
  });

  it("reports two overlapping leases with no changed file once, and one agent's own touches never", () => {
    const overlaps = findOverlaps([
      t("alice", "src/**", "leased"),
      t("bob", "src/y.ts", "leased"),
      t("carol", "docs/a.md", "committed"),
      t("carol", "docs/a.md", "uncommitted"),
      t("carol", "docs/**", "leased"),
    ]);
    expect(overlaps.map((o) => [o.path, o.agents.map((a) => a.name)])).toEqual([
      ["src/**", ["alice", "bob"]],
    ]);
  });

  it("says nothing when the agents' paths are disjoint", () => {
    expect(findOverlaps([t("alice", "src/*.ts", "leased"), t("bob", "src/a.css", "committed")])).toEqual([]);
  });
});

describe("leaseTouchesFromLog", () => {
  it("takes each granted pattern of the named agents' lease.acquired and lease.renewed events", () => {
    const event = (actor: string, type: string, paths: string[]) => ({
      seq: 1,
      at: 0,
      actor,
      type,
      subject: null,
      summary: "",
      data: { after: paths.map((path) => ({ path })) },
    });
    const touches = leaseTouchesFromLog(
      [
        event("alice", "lease.acquired", ["a.ts", "b/**"]),
        event("alice", "lease.renewed", ["a.ts"]),
        event("alice", "lease.released", ["c.ts"]),
        event("zed", "lease.acquired", ["z.ts"]),
      ],
      new Set(["alice"]),
    );
    expect(touches).toEqual([t("alice", "a.ts", "leased"), t("alice", "b/**", "leased")]);
  });
});
