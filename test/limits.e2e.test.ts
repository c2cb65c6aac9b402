import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { COUNTS, DURATIONS, type DurationKind, NUMBERS, TEXTS } from "../src/domain/limits.js";
import { ERRORS, EXIT, EXIT_MEANINGS } from "../src/errors.js";
import { describeRange, formatDuration } from "../src/util/duration.js";
import { connectMcp } from "./helpers/mcp-client.js";
import { baton, tempDir, tempRepo } from "./helpers/temp-repo.js";

/**
 * The ranges of src/domain/limits.ts as the CLI and the MCP tools enforce and
 * show them: every duration flag at its bounds, past them and absurd; every
 * text and list one past its limit; the exit codes as --help lists them.
 * (test/limits.test.ts covers the library, the store and the config.)
 */

const as = (name: string) => ({ BATON_AGENT: name });

function expectRefusedRange(result: ReturnType<typeof baton>, range: string): void {
  expect(result.code, result.stdout + result.stderr).toBe(2);
  const error = result.json().error;
  expect(error.code).toBe("invalid_input");
  expect(error.hint).toContain(range);
  expect(error.message.length).toBeLessThan(300);
}

/** A repo with a human lead, a task, a question, an approval, a channel and a message waiting for bob. */
function busyRepo(): string {
  const repo = tempRepo({ humans: ["lead"] });
  baton(repo, ["agent", "join", "lead", "--kind", "human"]);
  baton(repo, ["task", "add", "first"], as("lead"));
  baton(repo, ["task", "add", "second"], as("lead"));
  baton(repo, ["ask", "which?"], as("lead"));
  baton(repo, ["approval", "request", "merge"], as("lead"));
  baton(repo, ["channel", "add", "#general"], as("lead"));
  baton(repo, ["post", "#general", "hello"], as("lead"));
  baton(repo, ["send", "bob", "hello", "--new"], as("lead"));
  return repo;
}

const DURATION_FLAGS: {
  flag: string;
  kind: DurationKind;
  args: (v: string) => string[];
  accepts?: string[];
}[] = [
  {
    flag: "task claim --ttl",
    kind: "ttl",
    args: (v) => ["task", "claim", "--ttl", v],
    accepts: ["task", "claim"],
  },
  {
    flag: "lock --ttl",
    kind: "ttl",
    args: (v) => ["lock", "src/a.ts", "--ttl", v],
    accepts: ["lock", "src/b.ts"],
  },
  {
    flag: "guardian --interval",
    kind: "sweepInterval",
    args: (v) => ["guardian", "--once", "--interval", v],
    accepts: ["guardian", "--once"],
  },
  {
    flag: "mirror --interval",
    kind: "sweepInterval",
    args: (v) => ["mirror", "--interval", v],
    accepts: ["mirror"],
  },
  { flag: "mcp --max-wait", kind: "toolWait", args: (v) => ["mcp", "--max-wait", v] },
  {
    flag: "ask --wait",
    kind: "wait",
    args: (v) => ["ask", "now?", "--wait", v],
    accepts: ["ask", "now?", "--dry-run"],
  },
  { flag: "question --wait", kind: "wait", args: (v) => ["question", "Q-1", "--wait", v] },
  {
    flag: "approval request --wait",
    kind: "wait",
    args: (v) => ["approval", "request", "deploy", "--wait", v],
    accepts: ["approval", "request", "deploy", "--dry-run"],
  },
  { flag: "approval show --wait", kind: "wait", args: (v) => ["approval", "show", "A-1", "--wait", v] },
  { flag: "inbox --wait", kind: "wait", args: (v) => ["inbox", "--wait", v], accepts: ["inbox", "--ack"] },
  {
    flag: "read --wait",
    kind: "wait",
    args: (v) => ["read", "#general", "--wait", v],
    accepts: ["read", "#general", "--ack"],
  },
  { flag: "log --since", kind: "since", args: (v) => ["log", "--since", v], accepts: ["log"] },
];

describe("CLI: every duration flag has a range", () => {
  it.each(DURATION_FLAGS.map((f) => [f.flag, f] as const))(
    "%s: refuses past its bounds and absurd values, naming the range; accepts its longest",
    (_flag, { kind, args, accepts }) => {
      const repo = busyRepo();
      const { min, max } = DURATIONS[kind];
      const range = describeRange(DURATIONS[kind]);
      for (const bad of [`${min - 1}ms`, `${max + 1}ms`, "9".repeat(400), "-1s", "Infinity"]) {
        expectRefusedRange(baton(repo, [...args(bad), "--json"], as("bob")), range);
      }
      // The longest is accepted (with what makes the command return at once: a waiting message, --dry-run, --once).
      // A dry run of a wait does not wait, and says so with exit 5 (still open).
      if (accepts) {
        const result = baton(repo, [...accepts, ...args(formatDuration(max)).slice(-2), "--json"], as("bob"));
        expect([0, EXIT.timeout], result.stdout + result.stderr).toContain(result.code);
        expect(result.json().error).toBeUndefined();
      }
      // The help says the range.
      const help = baton(repo, [...args("1s").slice(0, args("1s").indexOf(args("1s").at(-2)!)), "--help"]);
      expect(help.stdout.replace(/\s+/g, " ")).toContain(range);
    },
  );

  it.each(["", " ", "0", "0ms", "1e999", "NaN", "1.5.5s", "15x", "٣s", "1h".repeat(10_000), "99999999d"])(
    "task claim --ttl %j is refused with the range",
    (bad) => {
      expectRefusedRange(
        baton(tempRepo({ humans: ["lea"] }), ["task", "claim", "--ttl", bad, "--json"], as("a")),
        "100ms to 7d",
      );
    },
  );
});

describe("CLI: every text, list and number has a limit", () => {
  const x = (n: number) => "x".repeat(n);
  const over = (kind: keyof typeof TEXTS) => x(TEXTS[kind].max + 1);
  const cases: [string, string[], number][] = [
    ["task add TITLE", ["task", "add", over("title")], TEXTS.title.max],
    ["task add --body", ["task", "add", "t", "--body", over("body")], TEXTS.body.max],
    ["task amend REMARK", ["task", "amend", "T-1", over("remark")], TEXTS.remark.max],
    ["task done --result", ["task", "done", "T-1", "--result", over("result")], TEXTS.result.max],
    ["task fail --reason", ["task", "fail", "T-1", "--reason", over("reason")], TEXTS.reason.max],
    ["task cancel --reason", ["task", "cancel", "T-2", "--reason", over("reason")], TEXTS.reason.max],
    ["task escalate --reason", ["task", "escalate", "T-2", "--reason", over("reason")], TEXTS.reason.max],
    ["lock --intent", ["lock", "src/a.ts", "--intent", over("intent")], TEXTS.intent.max],
    ["heartbeat --working-on", ["heartbeat", "--working-on", over("workingOn")], TEXTS.workingOn.max],
    ["agent join --role", ["agent", "join", "bob", "--role", over("role")], TEXTS.role.max],
    ["send TEXT", ["send", "lead", over("message")], TEXTS.message.max],
    ["post TEXT", ["post", "#general", over("message")], TEXTS.message.max],
    ["broadcast TEXT", ["broadcast", over("message")], TEXTS.message.max],
    ["broadcast --role", ["broadcast", "hi", "--role", over("role")], TEXTS.role.max],
    ["channel add --topic", ["channel", "add", "#new", "--topic", over("topic")], TEXTS.topic.max],
    ["ask TEXT", ["ask", over("message")], TEXTS.message.max],
    ["ask --options", ["ask", "which?", "--options", `${over("option")},b`], TEXTS.option.max],
    ["answer TEXT", ["answer", "Q-1", over("message"), "--yes"], TEXTS.message.max],
    ["approval request ACTION", ["approval", "request", over("action")], TEXTS.action.max],
    ["approve --note", ["approve", "A-1", "--yes", "--note", over("note")], TEXTS.note.max],
    ["reject --reason", ["reject", "A-1", "--yes", "--reason", over("note")], TEXTS.note.max],
    ["log write SUMMARY", ["log", "write", "decision", over("logSummary")], TEXTS.logSummary.max],
    ["summary write TEXT", ["summary", "write", over("summaryEntry")], TEXTS.summaryEntry.max],
    [
      "task add --tag",
      ["task", "add", "t", "--tag", Array.from({ length: 21 }, (_, i) => `t${i}`).join(",")],
      COUNTS.tags.max,
    ],
    [
      "task add --after",
      ["task", "add", "t", "--after", Array.from({ length: 51 }, (_, i) => `T-${i + 1}`).join(",")],
      COUNTS.dependencies.max,
    ],
    ["lock PATH...", ["lock", ...Array.from({ length: 101 }, (_, i) => `src/f${i}.ts`)], COUNTS.paths.max],
    [
      "ask --options (count)",
      ["ask", "which?", "--options", Array.from({ length: 21 }, (_, i) => `o${i}`).join(",")],
      COUNTS.options.max,
    ],
    [
      "task claim --tag",
      ["task", "claim", "--tag", Array.from({ length: 21 }, (_, i) => `t${i}`).join(",")],
      COUNTS.tags.max,
    ],
    ["log --limit", ["log", "--limit", String(NUMBERS.limit.max + 1)], NUMBERS.limit.max],
    ["inbox --limit", ["inbox", "--limit", "0"], NUMBERS.limit.max],
    ["task add --priority", ["task", "add", "t", "--priority", "4"], NUMBERS.priority.max],
  ];

  it("refuses one past each limit with invalid_input (exit 2) naming the limit, and changes nothing", () => {
    const repo = busyRepo();
    baton(repo, ["task", "claim", "T-1"], as("lead"));
    baton(repo, ["summary", "trigger"], as("lead"));
    const events = () => baton(repo, ["log", "--json", "--limit", "10000"]).json().events.length;
    const before = events();
    for (const [name, args, limit] of cases) {
      const result = baton(repo, [...args, "--json"], as("lead"));
      expect(result.code, `${name}: ${result.stdout}${result.stderr}`).toBe(2);
      expect(result.json().error.code, name).toBe("invalid_input");
      expect(result.json().error.hint, name).toContain(String(limit));
    }
    expect(events()).toBe(before);
  });

  it("refuses a plan or a report file too big to be one, without reading it whole", () => {
    const repo = busyRepo();
    const big = join(repo, "big.md"); // a plan is a file of the repository
    writeFileSync(big, x(TEXTS.plan.max * 3 + 1));
    const plan = baton(repo, ["approval", "request", "migrate", "--plan", big, "--json"], as("lead"));
    expect(plan.code).toBe(2);
    expect(plan.json().error.hint).toContain("keep the plan");
    const report = join(repo, "report.json");
    writeFileSync(report, JSON.stringify({ summary: x(TEXTS.report.max + 1) }));
    baton(repo, ["task", "claim", "T-1"], as("lead"));
    const done = baton(repo, ["task", "done", "T-1", "--report", report, "--json"], as("lead"));
    expect(done.code).toBe(2);
    expect(done.json().error.code).toBe("invalid_input");
  });
});

describe("CLI: exit codes", () => {
  it("--help lists every exit code an error can have, as the README does", () => {
    const help = baton(tempDir(), ["--help"]).stdout;
    const readme = readFileSync(resolve(import.meta.dirname, "../README.md"), "utf8");
    const used = new Set(Object.values(ERRORS).map((entry) => entry.exit));
    for (const exit of Object.values(EXIT)) {
      expect(help).toMatch(
        new RegExp(`^\\s+${exit}\\s+${EXIT_MEANINGS[exit].slice(0, 12).replace(/[()]/g, "\\$&")}`, "m"),
      );
      expect(readme).toContain(`\`${exit}\` ${EXIT_MEANINGS[exit].split(" (")[0]}`);
    }
    for (const exit of used) expect(Object.values(EXIT)).toContain(exit);
  });

  it("the README states every range of src/domain/limits.ts", () => {
    const readme = readFileSync(resolve(import.meta.dirname, "../README.md"), "utf8").replace(/\s+/g, " ");
    for (const limit of Object.values(DURATIONS)) expect(readme).toContain(describeRange(limit));
    for (const limit of Object.values(TEXTS)) expect(readme).toContain(` ${limit.max}`);
    for (const limit of Object.values(COUNTS).filter(
      (c) => c.what !== "statuses" && !c.what.startsWith("names"),
    ))
      expect(readme).toContain(`${limit.max} ${limit.what}`);
    for (const limit of Object.values(NUMBERS)) expect(readme).toContain(`${limit.min} to ${limit.max}`);
  });

  it("an agent deciding an approval exits 6 (forbidden)", () => {
    const repo = busyRepo();
    const refused = baton(repo, ["approve", "A-1", "--json"], as("bob"));
    expect(refused.json().error.code).toBe("forbidden");
    expect(refused.code).toBe(EXIT.forbidden);
  });
});

const connect = connectMcp;

type ToolAnswer = {
  isError?: boolean;
  content: { text: string }[];
  structuredContent?: { error?: { code: string; message: string; hint: string } };
};

describe("MCP: the tools show their limits and keep to them", () => {
  /** tool, argument, the limit, an argument list with the value set to `value`. */
  const bounded: [
    string,
    string,
    number,
    "text" | "list" | "number",
    (v: unknown) => Record<string, unknown>,
  ][] = [
    ["create_task", "title", TEXTS.title.max, "text", (v) => ({ title: v })],
    ["create_task", "body", TEXTS.body.max, "text", (v) => ({ title: "t", body: v })],
    ["create_task", "tags", COUNTS.tags.max, "list", (v) => ({ title: "t", tags: v })],
    ["create_task", "after_ids", COUNTS.dependencies.max, "list", (v) => ({ title: "t", after_ids: v })],
    ["claim_task", "tags", COUNTS.tags.max, "list", (v) => ({ tags: v })],
    ["complete_task", "result", TEXTS.result.max, "text", (v) => ({ task_id: "T-1", result: v })],
    ["fail_task", "reason", TEXTS.reason.max, "text", (v) => ({ task_id: "T-1", reason: v })],
    ["lock_files", "intent", TEXTS.intent.max, "text", (v) => ({ paths: ["a.ts"], intent: v })],
    ["lock_files", "paths", COUNTS.paths.max, "list", (v) => ({ paths: v })],
    ["send_message", "text", TEXTS.message.max, "text", (v) => ({ to: "lead", text: v })],
    ["send_message", "role", TEXTS.role.max, "text", (v) => ({ to: "*", text: "hi", role: v })],
    ["update_status", "working_on", TEXTS.workingOn.max, "text", (v) => ({ working_on: v })],
    ["log_decision", "decision", TEXTS.logSummary.max, "text", (v) => ({ decision: v })],
    ["chat_with_human", "question", TEXTS.message.max, "text", (v) => ({ question: v, wait_seconds: 0 })],
    [
      "chat_with_human",
      "options",
      COUNTS.options.max,
      "list",
      (v) => ({ question: "q", options: v, wait_seconds: 0 }),
    ],
    [
      "chat_with_human",
      "wait_seconds",
      DURATIONS.wait.max / 1000,
      "number",
      (v) => ({ question: "q", wait_seconds: v }),
    ],
    ["request_approval", "action", TEXTS.action.max, "text", (v) => ({ action: v, wait_seconds: 0 })],
    ["request_approval", "plan", TEXTS.plan.max, "text", (v) => ({ action: "a", plan: v, wait_seconds: 0 })],
  ];
  const tooBig = (kind: "text" | "list" | "number", limit: number, huge = false): unknown =>
    kind === "text"
      ? // A megabyte, far past every limit; past 10 MiB the SDK's stdio transport drops the session itself.
        "x".repeat(huge ? 1024 * 1024 : limit + 1)
      : kind === "list"
        ? Array.from({ length: huge ? 10_000 : limit + 1 }, (_, i) => `src/f${i}`)
        : huge
          ? 1e300
          : limit + 1;

  it("lists each bound in the tool's input schema, so a model sees it before calling", async () => {
    const client = await connect(tempRepo({ humans: ["lea"] }), "claude-1");
    const { tools } = await client.listTools();
    for (const [tool, argument, limit, kind] of bounded) {
      const schema = tools.find((t) => t.name === tool)!.inputSchema as {
        properties: Record<string, { maxLength?: number; maxItems?: number; maximum?: number }>;
      };
      const property = schema.properties[argument]!;
      const shown =
        kind === "text" ? property.maxLength : kind === "list" ? property.maxItems : property.maximum;
      expect(shown, `${tool}.${argument}`).toBe(limit);
    }
    const ttl = tools.find((t) => t.name === "lock_files")!.inputSchema as unknown as {
      properties: { ttl: { description: string } };
    };
    expect(ttl.properties.ttl.description).toContain(describeRange(DURATIONS.ttl));
  });

  it("refuses one past each bound, and a megabyte, as invalid_input naming the bound; nothing changes", async () => {
    const repo = busyRepo();
    const client = await connect(repo, "claude-1");
    const before = baton(repo, ["log", "--json", "--limit", "10000"]).json().events.length;
    for (const [tool, argument, limit, kind, args] of bounded) {
      for (const huge of [false, true]) {
        const answer = (await client.callTool({
          name: tool,
          arguments: args(tooBig(kind, limit, huge)),
        })) as ToolAnswer;
        expect(answer.isError, `${tool}.${argument}`).toBe(true);
        expect(answer.structuredContent?.error?.code, `${tool}.${argument}`).toBe("invalid_input");
        expect(answer.structuredContent?.error?.message, `${tool}.${argument}`).toContain(`at most ${limit}`);
        expect(answer.content[0]!.text.length).toBeLessThan(4000);
      }
    }
    // update_status and every call beat the heart, which the log does not record: the count is the same.
    expect(baton(repo, ["log", "--json", "--limit", "10000"]).json().events.length).toBe(before);
  });

  it("refuses a lock TTL out of its range, naming the range, and takes its longest", async () => {
    const client = await connect(busyRepo(), "claude-1");
    for (const ttl of ["99ms", "7d1ms", "9".repeat(16), "forever"]) {
      const answer = (await client.callTool({
        name: "lock_files",
        arguments: { paths: ["a.ts"], ttl },
      })) as ToolAnswer;
      expect(answer.isError, ttl).toBe(true);
      expect(answer.structuredContent?.error?.code).toBe("invalid_input");
      expect(answer.structuredContent?.error?.hint).toContain("100ms to 7d");
    }
    const longest = (await client.callTool({
      name: "lock_files",
      arguments: { paths: ["a.ts"], ttl: "7d" },
    })) as ToolAnswer;
    expect(longest.isError).toBeFalsy();
  });
});
