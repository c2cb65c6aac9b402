import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasUnsafe } from "../src/util/control-chars.js";
import { baton, succeedsAs, tempRepo } from "./helpers/temp-repo.js";

/**
 * Every field an agent writes, shown by every command that shows it, must
 * reach the person's terminal (and the mirror's files) with its control
 * characters shown, not obeyed, and must come back unchanged as JSON.
 */

/** One instance of each way text can act on a terminal. */
const ATTACKS: Record<string, string> = {
  "OSC 52 clipboard write": "\u001b]52;c;cHduZWQ=\u0007",
  "clear screen": "\u001b[2J\u001b[H",
  "title change (OSC 0, ST)": "\u001b]0;pwned\u001b\\",
  "carriage return overwrite": "ok\rFAKE",
  backspaces: "abc\b\b\b",
  bell: "\u0007",
  "C1 CSI (8-bit)": "\u009b31m",
  "C1 OSC (8-bit)": "\u009d52;c;eA==\u009c",
  "bidi override": "\u202eexe.txt",
  "bidi isolate": "\u2066hidden\u2069",
  DEL: "x\u007fy",
  "hyperlink (OSC 8)": "\u001b]8;;http://evil.example/\u001b\\link\u001b]8;;\u001b\\",
  "vertical tab and form feed": "a\u000bb\u000cc",
  "line separator": "a\u2028b",
};

const payload = (label: string) => `x${ATTACKS[label]}y`;
/** One payload holding every attack, for fields where one value is enough. */
const ALL = `T${Object.values(ATTACKS).join("|")}Z`;

function assertShownNotObeyed(where: string, text: string): void {
  // Not a terminal here, so colour is off: not one control character may pass (newline and tab aside).
  const bad = [...text].filter((c) => hasUnsafe(c));
  expect(bad, `${where} wrote control characters: ${JSON.stringify(bad)}`).toEqual([]);
}

function setUp() {
  const repo = tempRepo({ humans: ["lea"] });
  const as = succeedsAs(repo);
  as("lea", "agent", "join", "lea", "--kind", "human");
  as(
    "mallory",
    "agent",
    "join",
    "mallory",
    "--role",
    `r${ATTACKS["OSC 52 clipboard write"]}${ATTACKS["bidi override"]}`,
  );
  as("bob", "agent", "join", "bob");
  // A file whose very name holds escapes: lease paths are agent-written too.
  writeFileSync(join(repo, `evil${ATTACKS["clear screen"]}.ts`), "");
  as("mallory", "task", "add", ALL, "--body", `${ALL}\nsecond line ${ALL}`, "--tag", "t1");
  as("mallory", "task", "add", "second", "--after", "T-1");
  as("mallory", "task", "claim", "T-1");
  as("mallory", "task", "amend", "T-1", ALL);
  as("mallory", "lock", "src/a.ts", "--intent", ALL);
  as("mallory", "lock", `evil${ATTACKS["clear screen"]}.ts`);
  as("mallory", "heartbeat", "--working-on", ALL);
  as("mallory", "send", "lea", ALL);
  as("mallory", "send", "bob", ALL, "--urgent");
  as("mallory", "channel", "add", "#general", "--topic", ALL);
  as("mallory", "post", "#general", ALL);
  as("mallory", "broadcast", ALL);
  as("mallory", "ask", ALL, "--options", `${ALL},plain`);
  writeFileSync(join(repo, "plan.md"), `${ALL}\n${ALL}\n`);
  as("mallory", "approval", "request", ALL, "--plan", "plan.md");
  as("mallory", "task", "escalate", "T-1", "--reason", ALL);
  as("mallory", "log", "write", "decision", ALL);
  as("lea", "answer", "Q-1", ALL, "--yes");
  as("mallory", "task", "done", "T-1", "--result", ALL);
  as("mallory", "task", "add", "third");
  as("mallory", "task", "claim", "T-3");
  as("mallory", "task", "fail", "T-3", "--reason", ALL);
  as("mallory", "summary", "trigger");
  as("mallory", "summary", "write", ALL);
  return { repo, as };
}

describe("agent text reaches people shown, never obeyed", () => {
  // ~70 CLI runs (each view twice): 50 s alone, longer beside another file.
  it("every command that shows agent-written fields neutralises them; JSON keeps them exactly", {
    timeout: 180_000,
  }, () => {
    const { repo } = setUp();
    const views: [string, string[]][] = [
      ["lea", ["task", "list", "--status", "all"]],
      ["lea", ["task", "show", "T-1"]],
      ["lea", ["task", "show", "T-3"]],
      ["lea", ["locks"]],
      ["lea", ["agents"]],
      ["lea", ["inbox", "--all"]],
      ["bob", ["inbox", "--all"]],
      ["lea", ["read", "#general", "--all"]],
      ["lea", ["thread", "M-1"]],
      ["lea", ["channel", "list"]],
      ["lea", ["questions"]],
      ["lea", ["question", "Q-1"]],
      ["lea", ["approvals"]],
      ["lea", ["escalations"]],
      ["lea", ["log"]],
      ["lea", ["summary", "show"]],
      ["lea", ["summary", "collect"]],
      ["lea", ["queue", "list"]],
      ["lea", ["lock", "src/a.ts"]], // a conflict: the holder's intent in an error
      ["lea", ["task", "show", `T-1${ATTACKS["clear screen"]}`]], // the user's own input echoed in an error
    ];
    let checked = 0;
    for (const [agent, args] of views) {
      const text = baton(repo, ["--as", agent, ...args]);
      assertShownNotObeyed(`${args.join(" ")} (stdout)`, text.stdout);
      assertShownNotObeyed(`${args.join(" ")} (stderr)`, text.stderr);
      checked++;
      const json = baton(repo, ["--as", agent, "--json", ...args]);
      // JSON escapes what could act on a terminal, and the value read back is what the agent wrote.
      assertShownNotObeyed(`${args.join(" ")} --json`, json.stdout);
      expect(() => json.json(), args.join(" ")).not.toThrow();
    }
    // The stand-ins are there: the text is shown, not dropped.
    const list = baton(repo, ["--as", "lea", "task", "show", "T-1"]).stdout;
    expect(list).toContain("␛]52;c;cHduZWQ=␇");
    expect(list).toContain("<U+202E>");
    expect(list).toContain("<U+009B>");
    const json = baton(repo, ["--as", "lea", "--json", "task", "show", "T-1"]).json();
    expect(json.task.title).toBe(ALL);
    expect(checked).toBe(views.length);
  });

  it("the mirror's markdown files neutralise agent text, and a title cannot start a heading", () => {
    const { repo, as } = setUp();
    as("mallory", "task", "add", "line one\n# injected heading");
    as("lea", "mirror");
    const dir = join(repo, ".baton", "mirror");
    const files: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const path = join(d, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(dir);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) assertShownNotObeyed(file, readFileSync(file, "utf8"));
    const all = files.map((f) => readFileSync(f, "utf8")).join("\n");
    expect(all).toContain("␛[2J");
    expect(all).not.toMatch(/^# injected heading/m);
  });

  it("each attack, alone, in a task title and a message, through list and inbox", () => {
    const repo = tempRepo({ humans: ["lea"] });
    let tried = 0;
    for (const label of Object.keys(ATTACKS)) {
      expect(baton(repo, ["--as", "mallory", "task", "add", payload(label)]).code).toBe(0);
      expect(baton(repo, ["--as", "mallory", "send", "bob", payload(label), "--new"]).code).toBe(0);
      tried++;
    }
    for (const args of [["task", "list"], ["inbox"]]) {
      const out = baton(repo, ["--as", "bob", ...args]);
      assertShownNotObeyed(args.join(" "), out.stdout + out.stderr);
      for (const label of Object.keys(ATTACKS)) {
        // The safe part of each payload is still there, on the screen, in order.
        expect(out.stdout, label).toMatch(/x.*y/);
      }
    }
    expect(tried).toBe(Object.keys(ATTACKS).length);
  });
});
