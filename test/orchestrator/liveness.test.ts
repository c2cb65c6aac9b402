import { describe, expect, it } from "vitest";
import type { Agent } from "../../src/domain/types.js";
import { agentLooksAlive, agentNamed } from "../../src/orchestrator/liveness.js";

const NOW = Date.UTC(2026, 10, 21, 12);
const HUNG = 5 * 60_000;

function agent(fields: Partial<Agent> = {}): Agent {
  return {
    name: "alice",
    role: null,
    kind: "claude",
    joinedAt: NOW - 3_600_000,
    lastSeenAt: NOW,
    workingOn: null,
    leftAt: null,
    hungSince: null,
    activity: null,
    ...fields,
  };
}

describe("agentLooksAlive", () => {
  it("is alive while the agent was heard from within hung_after, up to the limit itself", () => {
    expect(
      agentLooksAlive({ agent: agent({ lastSeenAt: NOW - 12_000 }), now: NOW, hungAfterMs: HUNG }),
    ).toEqual({
      alive: true,
      because: "heard from 12s ago",
    });
    expect(
      agentLooksAlive({ agent: agent({ lastSeenAt: NOW - HUNG }), now: NOW, hungAfterMs: HUNG }).alive,
    ).toBe(true);
  });

  it("is not alive once silent past hung_after, when it left, or when it never joined", () => {
    const silent = agentLooksAlive({
      agent: agent({ lastSeenAt: NOW - HUNG - 1000 }),
      now: NOW,
      hungAfterMs: HUNG,
    });
    expect(silent).toEqual({ alive: false, because: "silent for 5m01s, past hung_after (5m)" });
    expect(agentLooksAlive({ agent: agent({ leftAt: NOW - 1000 }), now: NOW, hungAfterMs: HUNG })).toEqual({
      alive: false,
      because: "it left the team",
    });
    expect(agentLooksAlive({ agent: undefined, now: NOW, hungAfterMs: HUNG }).alive).toBe(false);
  });

  it("finds an agent by name whatever its case, the exact name first", () => {
    const agents = [agent({ name: "Bob" }), agent({ name: "alice" })];
    expect(agentNamed(agents, "bob")?.name).toBe("Bob");
    expect(agentNamed(agents, "alice")?.name).toBe("alice");
    expect(agentNamed(agents, "carol")).toBeUndefined();
  });
});
