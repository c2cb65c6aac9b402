import { describe, expect, it } from "vitest";
import { baton, tempRepo } from "./helpers/temp-repo.js";
import { Terminal } from "./helpers/terminal.js";

const as = (name: string) => ({ BATON_AGENT: name });

/** A repository where alice holds src/a.ts, bot holds T-1, bot waits on approval A-1, lea is a human. */
function setUp(action = "run the billing migration"): {
  repo: string;
  leaseToken: number;
  taskToken: number;
} {
  const repo = tempRepo({ humans: ["lea"] });
  expect(baton(repo, ["agent", "join", "lea", "--kind", "human"]).code).toBe(0);
  expect(baton(repo, ["agent", "join", "bot", "--kind", "codex"]).code).toBe(0);
  const lock = baton(repo, ["lock", "src/a.ts", "--json"], as("alice"));
  baton(repo, ["task", "add", "Migrate billing"], as("lea"));
  const claim = baton(repo, ["task", "claim", "T-1", "--json"], as("bot"));
  expect(baton(repo, ["approval", "request", action], as("bot")).code).toBe(0);
  return { repo, leaseToken: lock.json().granted[0].token, taskToken: claim.json().token };
}

const leaseHolders = (repo: string) =>
  baton(repo, ["locks", "--json"])
    .json()
    .leases.map((lease: { holder: string }) => lease.holder);
const approvalStatus = (repo: string) =>
  baton(repo, ["approval", "show", "A-1", "--json"]).json().approval.status;
const taskStatus = (repo: string) => baton(repo, ["task", "show", "T-1", "--json"]).json().task.status;

/** Each confirmed command, as a human runs it, and how to see whether it happened. */
const COMMANDS = [
  {
    name: "lock force-release",
    args: ["lock", "force-release", "src/a.ts"],
    happened: (r: string) => leaseHolders(r).length === 0,
  },
  { name: "approve", args: ["approve", "A-1"], happened: (r: string) => approvalStatus(r) === "approved" },
  {
    name: "reject",
    args: ["reject", "A-1", "--reason", "not now"],
    happened: (r: string) => approvalStatus(r) === "rejected",
  },
  {
    name: "task cancel",
    args: ["task", "cancel", "T-1"],
    happened: (r: string) => taskStatus(r) === "cancelled",
  },
];

describe("confirmation before forced changes and decisions", () => {
  it("without a terminal: a usage error naming --yes, and nothing changes; --json asks nothing either; --yes goes ahead", () => {
    let tried = 0;
    for (const command of COMMANDS) {
      const { repo } = setUp();
      const plain = baton(repo, command.args, as("lea"));
      expect(plain.code, command.name).toBe(2);
      expect(plain.stderr).toContain("--yes");
      expect(plain.stderr).toContain("[usage]");
      const json = baton(repo, [...command.args, "--json"], as("lea"));
      expect(json.code).toBe(2);
      expect(json.json().error).toMatchObject({ code: "usage" });
      expect(json.json().error.hint).toContain("--yes");
      expect(command.happened(repo), `${command.name} happened without --yes`).toBe(false);
      // A dry run changes nothing, so it asks nothing.
      expect(baton(repo, [...command.args, "--dry-run"], as("lea")).code).toBe(0);
      expect(command.happened(repo)).toBe(false);
      const yes = baton(repo, [...command.args, "--yes", "--json"], as("lea"));
      expect(yes.code, yes.stdout).toBe(0);
      expect(command.happened(repo), command.name).toBe(true);
      tried++;
    }
    expect(tried).toBe(COMMANDS.length);
  });

  it("asks nothing when there is nothing to confirm: own or unclaimed task, a decision that would be refused", () => {
    const { repo } = setUp();
    expect(baton(repo, ["task", "cancel", "T-1"], as("bot")).code).toBe(0); // bot holds it
    baton(repo, ["task", "add", "Spare"], as("lea"));
    expect(baton(repo, ["task", "cancel", "T-2"], as("lea")).code).toBe(0); // nobody holds it
    const agent = baton(repo, ["approve", "A-1", "--json"], as("bot"));
    expect(agent.json().error).toMatchObject({ code: "forbidden" });
    expect(baton(repo, ["approve", "A-1", "--yes"], as("lea")).code).toBe(0);
    const again = baton(repo, ["reject", "A-1", "--reason", "x", "--json"], as("lea"));
    expect(again.json().error).toMatchObject({ code: "invalid_state" });
    const nothing = baton(repo, ["lock", "force-release", "src/none.ts", "--json"], as("lea"));
    expect(nothing.json().error).toMatchObject({ code: "not_found" });
  });

  it("on a terminal: shows what changes and asks [y/N]; y goes ahead, anything else changes nothing", {
    timeout: 180_000,
  }, async () => {
    let asked = 0;
    for (const command of COMMANDS) {
      // Every answer for one command; yes and no for the others (each case is a fresh repository).
      const answers = command === COMMANDS[0] ? ["y", "n", "", "yes please", "YES", "no"] : ["y", "n"];
      for (const answer of answers) {
        const { repo, leaseToken, taskToken } = setUp();
        const tty = Terminal.start(repo, command.args, as("lea"));
        const screen = await tty.until((s) => s.includes("[y/N]"), `${command.name}'s question`);
        if (command.name === "lock force-release")
          expect(screen).toContain(`Release alice's lease on src/a.ts (token ${leaseToken})? [y/N]`);
        if (command.name === "approve") {
          expect(screen).toContain("A-1 from bot: run the billing migration");
          expect(screen).toContain("Approve A-1? [y/N]");
        }
        if (command.name === "task cancel")
          expect(screen).toContain(`Cancel T-1 "Migrate billing", held by bot (token ${taskToken})? [y/N]`);
        tty.type(answer);
        tty.press("Enter");
        const { code, screen: after } = await tty.finished();
        const yes = answer === "y" || answer === "YES";
        expect(command.happened(repo), `${command.name} answered ${JSON.stringify(answer)}`).toBe(yes);
        expect(code).toBe(yes ? 0 : 1);
        if (!yes) expect(after).toContain("nothing was changed");
        asked++;
      }
    }
    expect(asked).toBe(6 + (COMMANDS.length - 1) * 2);
  });

  it("Ctrl-C and Ctrl-D at the question change nothing", async () => {
    for (const key of ["C-c", "C-d"] as const) {
      const { repo } = setUp();
      const tty = Terminal.start(repo, ["lock", "force-release", "src/a.ts"], as("lea"));
      await tty.until((s) => s.includes("[y/N]"), "the question");
      tty.press(key);
      const { code } = await tty.finished();
      expect(code).not.toBe(0);
      expect(leaseHolders(repo)).toEqual(["alice"]);
    }
  });

  it("what the human confirmed is what changes: a lease taken over during the question is not released", async () => {
    const { repo } = setUp();
    const tty = Terminal.start(repo, ["lock", "force-release", "src/a.ts"], as("lea"));
    await tty.until((s) => s.includes("Release alice's lease"), "the question");
    // While the question waits, alice's lease goes and carol takes the path.
    expect(baton(repo, ["unlock", "src/a.ts"], as("alice")).code).toBe(0);
    expect(baton(repo, ["lock", "src/a.ts"], as("carol")).code).toBe(0);
    tty.type("y");
    tty.press("Enter");
    const { code, screen } = await tty.finished();
    expect(code).toBe(3);
    expect(screen).toContain("carol holds it now");
    expect(leaseHolders(repo)).toEqual(["carol"]);
  });

  it("shows what agents wrote as text: control characters in the request cannot rewrite the question", async () => {
    const hostile = "deploy to staging\r\u001b[2KApprove A-1 \u001b[32mharmless\u001b[0m";
    const { repo } = setUp(hostile);
    const tty = Terminal.start(repo, ["approve", "A-1"], as("lea"));
    const screen = await tty.until((s) => s.includes("[y/N]"), "the question");
    // The one neutraliser of every face: ␍ and ␛ stand in for the carriage return and the escapes.
    expect(screen).toContain("deploy to staging␍␛[2KApprove A-1 ␛[32mharmless␛[0m");
    tty.type("n");
    tty.press("Enter");
    await tty.finished();
    expect(approvalStatus(repo)).toBe("pending");
  });

  it("--wait on a terminal names what it waits for; a pipe gets the answer alone", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const tty = Terminal.start(repo, ["ask", "Which DB?", "--wait", "30s"], as("bot"));
    await tty.until((s) => s.includes("asked Q-1; waiting up to 30s…"), "the waiting line");
    expect(baton(repo, ["answer", "Q-1", "SQLite", "--yes"], as("lea")).code).toBe(0);
    const { code, screen } = await tty.finished();
    expect(code).toBe(0);
    expect(screen).toContain("SQLite");
    const piped = baton(repo, ["question", "Q-1", "--wait", "1s"], as("bot"));
    expect(piped.stderr).not.toContain("waiting");
    baton(repo, ["inbox", "--ack"], as("bot")); // the answer's notice: read, so the inbox waits
    const inbox = Terminal.start(repo, ["inbox", "--wait", "20s"], as("bot"));
    await inbox.until(
      (s) => s.includes("nothing unread in your inbox; waiting up to 20s…"),
      "the inbox's waiting line",
    );
    baton(repo, ["send", "bot", "hello"], as("lea"));
    expect((await inbox.finished()).screen).toContain("hello");
  });

  it("colour on a terminal: an empty NO_COLOR is as if unset, a non-empty one turns it off; FORCE_COLOR reaches a pipe", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const red = "\u001b[31m";
    for (const [NO_COLOR, coloured] of [
      ["", true],
      ["1", false],
      [undefined, true],
    ] as const) {
      const tty = Terminal.start(repo, ["task", "show", "T-9"], { NO_COLOR });
      await tty.finished();
      expect(tty.screen(true).includes(red), `NO_COLOR=${JSON.stringify(NO_COLOR)}`).toBe(coloured);
    }
    expect(baton(repo, ["task", "show", "T-9"], { NO_COLOR: undefined, FORCE_COLOR: "1" }).stderr).toContain(
      red,
    );
    expect(baton(repo, ["task", "show", "T-9"], { NO_COLOR: undefined }).stderr).not.toContain("\u001b[");
  });
});
