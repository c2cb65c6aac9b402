import { describe, expect, it } from "vitest";
import { baton, tempRepo } from "./helpers/temp-repo.js";

/**
 * Every command that takes an agent's name, with hostile names: a typo of a
 * known one, a case variant, a look-alike from another script, empty, too
 * long, padded. A name that is a known agent's works; a new one works where a
 * command may create it, unless it looks like a slip; nothing else creates a
 * phantom agent.
 */

/** A team: the human lea, the agent claude-1, and a task T-1. */
function team(): string {
  const repo = tempRepo({ humans: ["lea"] });
  baton(repo, ["agent", "join", "lea", "--kind", "human"]);
  baton(repo, ["agent", "join", "claude-1", "--kind", "claude"]);
  baton(repo, ["task", "add", "work"], { BATON_AGENT: "lea" });
  return repo;
}

const lea = { BATON_AGENT: "lea" };

/** How each command uses NAME. Run in this order: join before remove. */
const commands: [string, (name: string) => { args: string[]; env: Record<string, string> }][] = [
  ["--as NAME heartbeat", (name) => ({ args: ["--as", name, "heartbeat"], env: {} })],
  ["BATON_AGENT=NAME task claim", (name) => ({ args: ["task", "claim"], env: { BATON_AGENT: name } })],
  ["task assign T-1 NAME", (name) => ({ args: ["task", "assign", "T-1", name], env: lea })],
  ["task add --assign NAME", (name) => ({ args: ["task", "add", "x", "--assign", name], env: lea })],
  ["send NAME", (name) => ({ args: ["send", name, "hello"], env: lea })],
  ["agent join NAME", (name) => ({ args: ["agent", "join", name], env: {} })],
  ["agent remove NAME --force", (name) => ({ args: ["agent", "remove", name, "--force"], env: lea })],
];

// Exit codes: 0 ok, 2 bad input, 4 unknown (with did you mean).
const cases: { name: string; what: string; exits: number[]; meant?: string }[] = [
  { name: "claude-1", what: "a known agent", exits: [0, 0, 0, 0, 0, 0, 0] },
  { name: " claude-1 ", what: "a known agent, padded", exits: [0, 0, 0, 0, 0, 0, 0] },
  // A typo: refused wherever it would be taken for a new agent or target; joining it says it is meant.
  { name: "cluade-1", what: "a typo", exits: [4, 4, 4, 4, 4, 0, 0], meant: "claude-1" },
  { name: "claude1", what: "a dropped separator", exits: [4, 4, 4, 4, 4, 0, 0], meant: "claude-1" },
  // Names are the same whatever their case: never a second agent.
  { name: "CLAUDE-1", what: "a case variant", exits: [4, 4, 4, 4, 4, 4, 4], meant: "claude-1" },
  { name: "Lea", what: "a case variant of the human", exits: [4, 4, 4, 4, 4, 4, 4], meant: "lea" },
  // A new, distinct name: an agent may start without setup; targets must have joined.
  { name: "claude-2", what: "a numbered sibling", exits: [0, 0, 0, 0, 0, 0, 0] },
  { name: "zed", what: "a new name", exits: [0, 0, 0, 0, 0, 0, 0] },
  // Not names at all.
  { name: "clаude-1", what: "a Cyrillic look-alike", exits: [2, 2, 2, 2, 2, 2, 2] },
  { name: "claude\u200b-1", what: "a zero-width space", exits: [2, 2, 2, 2, 2, 2, 2] },
  { name: "café", what: "a non-ASCII letter", exits: [2, 2, 2, 2, 2, 2, 2] },
  { name: "a".repeat(65), what: "over 64 characters", exits: [2, 2, 2, 2, 2, 2, 2] },
  { name: "guardian", what: "reserved for baton", exits: [2, 2, 2, 2, 2, 2, 2] },
];

describe("agent names at the command line", () => {
  for (const c of cases) {
    it(`${c.what} (${JSON.stringify(c.name)}): exits ${c.exits.join(" ")}`, () => {
      const repo = team();
      const outcomes = commands.map(([label, build]) => {
        const { args, env } = build(c.name);
        const run = baton(repo, [...args, "--json"], env);
        if (run.code === 4) expect(run.json().error.details?.didYouMean, label).toContain(c.meant);
        if (run.code !== 0) expect(run.json().error.hint, label).toBeTruthy();
        return run.code;
      });
      expect(outcomes).toEqual(c.exits);
      const agents = (baton(repo, ["agents", "--json"]).json().agents as { name: string }[]).map(
        (a) => a.name,
      );
      // Whatever was refused left no agent behind; the human is never doubled.
      expect(agents.filter((a) => a.toLowerCase() === "lea")).toEqual(["lea"]);
      if (c.exits[0] !== 0)
        expect(agents).toEqual(c.name.trim() === "claude-1" ? agents : ["claude-1", "lea"]);
    });
  }

  it('`--as ""` is refused, not taken for BATON_AGENT', () => {
    const repo = team();
    const run = baton(repo, ["--as", "", "task", "claim", "--json"], { BATON_AGENT: "claude-1" });
    expect(run.code).toBe(2);
    expect(baton(repo, ["task", "list", "--json"]).json().tasks[0].status).toBe("open");
  });

  it("an empty assignee is refused, not taken for unassign", () => {
    const repo = team();
    baton(repo, ["task", "assign", "T-1", "claude-1"], lea);
    expect(baton(repo, ["task", "assign", "T-1", "", "--json"], lea).code).toBe(2);
    expect(baton(repo, ["task", "add", "x", "--assign", "", "--json"], lea).code).toBe(2);
    expect(baton(repo, ["task", "show", "T-1", "--json"]).json().task.assignee).toBe("claude-1");
  });

  it("says a new name is meant: --new-agent for an identity, --new for an assignee or recipient", () => {
    const repo = team();
    const refused = baton(repo, ["--as", "cluade-1", "task", "claim", "--json"]);
    expect(refused.code).toBe(4);
    expect(refused.json().error.hint).toContain("--new-agent");
    const meant = baton(repo, ["--as", "cluade-1", "--new-agent", "task", "claim", "--json"]);
    expect(meant.code).toBe(0);
    expect(meant.json().task).toMatchObject({ id: "T-1", holder: "cluade-1" });
    expect(baton(repo, ["task", "add", "y", "--assign", "codex-1", "--new", "--json"], lea).code).toBe(0);
    expect(baton(repo, ["task", "assign", "T-2", "gemini-1", "--new", "--json"], lea).code).toBe(0);
    expect(baton(repo, ["send", "pi-1", "hi", "--new", "--json"], lea).code).toBe(0);
    // Even on purpose, a case variant cannot be a new agent.
    expect(baton(repo, ["task", "assign", "T-2", "LEA", "--new", "--json"], lea).code).toBe(4);
  });

  it("connect refuses to record a slip of a known name for the worktree, unless --new-agent", () => {
    const repo = team();
    const slip = baton(repo, ["connect", "shell", "--as", "cluade-1", "--json"]);
    expect(slip.json().error).toMatchObject({ code: "not_found", details: { didYouMean: ["claude-1"] } });
    expect(baton(repo, ["whoami", "--json"]).json().agent).toBeNull(); // nothing was recorded
    expect(baton(repo, ["connect", "shell", "--as", "cluade-1", "--new-agent"]).code).toBe(0);
    expect(baton(repo, ["connect", "shell", "--as", "claude-1"]).code).toBe(0);
  });

  it("agent remove: only a human or the agent itself; refuses while it holds work unless --force", () => {
    const repo = team();
    baton(repo, ["task", "claim", "T-1"], { BATON_AGENT: "claude-1" });
    expect(baton(repo, ["agent", "remove", "claude-1", "--json"], { BATON_AGENT: "codex-1" }).code).toBe(6);
    const busy = baton(repo, ["agent", "remove", "claude-1", "--json"], lea);
    expect(busy.code).toBe(3);
    expect(busy.json().error.hint).toContain("--force");
    const forced = baton(repo, ["agent", "remove", "claude-1", "--force", "--json"], lea);
    expect(forced.json()).toMatchObject({ agent: "claude-1", releasedTasks: ["T-1"] });
    expect(baton(repo, ["task", "show", "T-1", "--json"]).json().task).toMatchObject({ status: "open" });
    // The agent's history stays in the log.
    expect(baton(repo, ["log", "--json"]).stdout).toContain("claude-1 claimed T-1");
    // Its next command does not put it back on the team unnoticed; joining again on purpose does.
    const back = baton(repo, ["heartbeat", "--json"], { BATON_AGENT: "claude-1" });
    expect(back.json().error).toMatchObject({ code: "not_found", details: { removedBy: "lea" } });
    expect(back.json().error.hint).toContain("baton agent join claude-1");
    expect(
      baton(repo, ["agents", "--json"])
        .json()
        .agents.map((a: { name: string }) => a.name),
    ).not.toContain("claude-1");
    expect(baton(repo, ["agent", "join", "claude-1"], { BATON_AGENT: "claude-1" }).code).toBe(0);
    // Back on the team, its first heartbeat reports what went with the removal (exit 3), once.
    expect(baton(repo, ["heartbeat"], { BATON_AGENT: "claude-1" }).code).toBe(3);
    expect(baton(repo, ["heartbeat"], { BATON_AGENT: "claude-1" }).code).toBe(0);
  });
});
