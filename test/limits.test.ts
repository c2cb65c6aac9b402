import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normaliseConfig } from "../src/domain/config.js";
import { COUNTS, DURATIONS, NUMBERS, TEXTS, type TextKind } from "../src/domain/limits.js";
import { runHook } from "../src/hooks/run-hook.js";
import { BatonError, ManualClock, openWorkspace, SqliteStore, type Workspace } from "../src/index.js";
import { describeRange, formatDuration, parseDuration } from "../src/util/duration.js";
import { readConfig } from "../src/workspace/config-file.js";
import { tempDir, tempRepo } from "./helpers/temp-repo.js";

/**
 * Every duration and size has a range (src/domain/limits.ts), and every face
 * enforces it: here the library (the services every face shares), the store
 * under it, and the config file; test/limits.e2e.test.ts does the CLI and MCP.
 * Each is tried at its bounds, just past them, and with absurd values.
 */

const ABSURD_MS = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number("9".repeat(400)),
  Number.MAX_VALUE,
  -1,
  0,
];
const TEN_MB = 10 * 1024 * 1024;

/** What a refusal must be: invalid_input, naming the limit in the hint, nothing changed. */
async function expectRefused(ws: Workspace, attempt: () => Promise<unknown>, limit?: number): Promise<void> {
  const before = (await ws.log.list({})).length;
  const error = await attempt().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "accepted what is out of range").toBeInstanceOf(BatonError);
  expect((error as BatonError).code).toBe("invalid_input");
  if (limit !== undefined) expect((error as BatonError).hint).toContain(String(limit));
  expect((error as BatonError).message.length).toBeLessThan(400);
  expect((await ws.log.list({})).length).toBe(before);
}

async function team(): Promise<Workspace> {
  const repo = tempRepo({ humans: ["lead"] });
  // A clock that stands still: a 100 ms claim must not expire (and log it) between two looks at the log.
  const ws = await openWorkspace({ cwd: repo, as: "lead", clock: new ManualClock() });
  await ws.agents.join({ kind: "human" });
  await ws.messages.addChannel("general");
  return ws;
}

interface TextCase {
  kind: TextKind;
  how: string;
  /** Creates what the call needs; returns the call for a text. */
  setup(ws: Workspace): Promise<(text: string) => Promise<unknown>>;
}

let serial = 0;
const newTask = async (ws: Workspace) => (await ws.tasks.add(`task ${++serial}`)).id;
const claimed = async (ws: Workspace) => {
  const id = await newTask(ws);
  await ws.tasks.claim(id);
  return id;
};
/** A report whose JSON, as stored, is exactly `text.length` characters. */
const reportOf = (text: string) => {
  const empty = {
    summary: "",
    findings: [],
    recommendations: [],
    filesModified: [],
    filesCreated: [],
    errors: [],
  };
  return { ...empty, summary: `s${text.slice(JSON.stringify(empty).length + 1)}` };
};

const TEXT_CASES: TextCase[] = [
  { kind: "title", how: "tasks.add", setup: async (ws) => (t) => ws.tasks.add(t) },
  { kind: "body", how: "tasks.add body", setup: async (ws) => (t) => ws.tasks.add("t", { body: t }) },
  {
    kind: "remark",
    how: "tasks.amend",
    setup: async (ws) => {
      const id = await newTask(ws);
      return (t) => ws.tasks.amend(id, t);
    },
  },
  {
    kind: "result",
    how: "tasks.done result",
    setup: async (ws) => {
      const id = await claimed(ws);
      return (t) => ws.tasks.done(id, { result: t });
    },
  },
  {
    kind: "report",
    how: "tasks.done report",
    setup: async (ws) => {
      const id = await claimed(ws);
      return (t) => ws.tasks.done(id, { report: reportOf(t) });
    },
  },
  {
    kind: "reason",
    how: "tasks.fail",
    setup: async (ws) => {
      const id = await claimed(ws);
      return (t) => ws.tasks.fail(id, t);
    },
  },
  {
    kind: "reason",
    how: "tasks.cancel",
    setup: async (ws) => {
      const id = await newTask(ws);
      return (t) => ws.tasks.cancel(id, t);
    },
  },
  {
    kind: "reason",
    how: "tasks.escalate",
    setup: async (ws) => {
      const id = await newTask(ws);
      return (t) => ws.tasks.escalate(id, t);
    },
  },
  {
    kind: "intent",
    how: "leases.lock",
    setup: async (ws) => (t) => ws.leases.lock([`file-${++serial}.ts`], { intent: t }),
  },
  {
    kind: "workingOn",
    how: "agents.heartbeat",
    setup: async (ws) => (t) => ws.agents.heartbeat({ workingOn: t }),
  },
  { kind: "role", how: "agents.join", setup: async (ws) => (t) => ws.agents.join({ role: t }) },
  {
    kind: "message",
    how: "messages.send",
    setup: async (ws) => (t) => ws.messages.send("bob", t, { allowUnknown: true }),
  },
  { kind: "message", how: "messages.post", setup: async (ws) => (t) => ws.messages.post("#general", t) },
  { kind: "message", how: "messages.broadcast", setup: async (ws) => (t) => ws.messages.broadcast(t) },
  {
    kind: "role",
    how: "messages.broadcast role",
    setup: async (ws) => {
      // A broadcast to a role needs someone who has it.
      await using bob = await openWorkspace({ cwd: ws.root, as: "bob", clock: new ManualClock() });
      await bob.agents.join({ role: "x".repeat(TEXTS.role.max) });
      return (t) => ws.messages.broadcast("hi", { role: t });
    },
  },
  {
    kind: "topic",
    how: "messages.addChannel",
    setup: async (ws) => (t) => ws.messages.addChannel(`c${++serial}`, t),
  },
  { kind: "message", how: "human.ask", setup: async (ws) => (t) => ws.human.ask(t) },
  {
    kind: "option",
    how: "human.ask options",
    setup: async (ws) => (t) => ws.human.ask("which?", { options: [t, "the other"] }),
  },
  {
    kind: "message",
    how: "human.answer",
    setup: async (ws) => {
      const question = await ws.human.ask("why?");
      return (t) => ws.human.answer(question.id, t);
    },
  },
  { kind: "action", how: "human.requestApproval", setup: async (ws) => (t) => ws.human.requestApproval(t) },
  {
    kind: "plan",
    how: "human.requestApproval plan",
    setup: async (ws) => (t) => ws.human.requestApproval("migrate", { plan: t }),
  },
  {
    kind: "note",
    how: "human.decide",
    setup: async (ws) => {
      const approval = await ws.human.requestApproval("merge");
      return (t) => ws.human.decide(approval.id, true, t);
    },
  },
  { kind: "logSummary", how: "log.write", setup: async (ws) => (t) => ws.log.write("decision", t) },
  {
    kind: "logData",
    how: "log.write data",
    // {"x":"…"} is 8 characters around the text: the JSON is as long as `t`.
    setup: async (ws) => (t) => ws.log.write("decision", "with data", { x: t.slice(8) }),
  },
  {
    kind: "summaryEntry",
    how: "summary.write",
    setup: async (ws) => {
      await ws.summary.trigger();
      return (t) => ws.summary.write(t);
    },
  },
];

describe("library: every free text has a limit", () => {
  it.each(TEXT_CASES.map((c) => [`${c.how} (${c.kind}, ${TEXTS[c.kind].max})`, c] as const))(
    "%s: accepts the limit, refuses one more and ten megabytes, changing nothing",
    async (_name, textCase) => {
      await using ws = await team();
      const max = TEXTS[textCase.kind].max;
      await expect((await textCase.setup(ws))("x".repeat(max))).resolves.toBeDefined();
      for (const length of [max + 1, TEN_MB]) {
        const call = await textCase.setup(ws);
        await expectRefused(ws, () => call("x".repeat(length)), max);
      }
    },
  );
});

describe("library: every list has a limit", () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `T-${i + 1}`);
  const names = (n: number, prefix = "t") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const cases: [string, number, (ws: Workspace, n: number) => Promise<unknown>][] = [
    ["tags on add", COUNTS.tags.max, (ws, n) => ws.tasks.add("t", { tags: names(n) })],
    ["tags on claim", COUNTS.tags.max, (ws, n) => ws.tasks.claim(undefined, { tags: names(n) })],
    ["dependencies", COUNTS.dependencies.max, (ws, n) => ws.tasks.add("t", { after: ids(n) })],
    ["paths to lock", COUNTS.paths.max, (ws, n) => ws.leases.lock(names(n, "src/f"))],
    ["options", COUNTS.options.max, (ws, n) => ws.human.ask("which?", { options: names(n, "option ") })],
    [
      "statuses",
      COUNTS.statuses.max,
      (ws, n) =>
        ws.tasks.list({
          status: Array.from(
            { length: n },
            (_, i) => (["open", "claimed", "done", "failed", "cancelled", "dead", "all"] as const)[i % 7]!,
          ),
        }),
    ],
  ];
  it.each(cases)("%s: accepts %i, refuses one more and a million", async (_name, max, call) => {
    await using ws = await team();
    for (let i = 0; i < COUNTS.dependencies.max; i++) await ws.tasks.add(`dependency ${i}`);
    await expect(call(ws, max)).resolves.toBeDefined();
    for (const n of [max + 1, 1_000_000]) await expectRefused(ws, () => call(ws, n), max);
  });

  it("unlock and force-release refuse more paths than a lock may hold", async () => {
    await using ws = await team();
    const paths = Array.from({ length: COUNTS.paths.max + 1 }, (_, i) => `src/f${i}`);
    await expectRefused(ws, () => ws.leases.unlock(paths), COUNTS.paths.max);
    await expectRefused(ws, () => ws.leases.forceRelease(paths), COUNTS.paths.max);
  });
});

describe("library: every number has a range", () => {
  const bad = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, NUMBERS.limit.max + 1];
  it.each([
    ["log.list limit", (ws: Workspace, n: number) => ws.log.list({ limit: n })],
    ["messages.inbox limit", (ws: Workspace, n: number) => ws.messages.inbox({ limit: n })],
  ])("%s: 1 to 10000", async (_name, call) => {
    await using ws = await team();
    for (const n of [NUMBERS.limit.min, NUMBERS.limit.max]) await expect(call(ws, n)).resolves.toBeDefined();
    for (const n of bad) await expectRefused(ws, () => call(ws, n), NUMBERS.limit.max);
  });

  it("a priority is 0 to 3", async () => {
    await using ws = await team();
    for (const p of [0, 3, "0", "3"]) await expect(ws.tasks.add("t", { priority: p })).resolves.toBeDefined();
    for (const p of [-1, 4, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "1e400", "2x", ""])
      await expectRefused(ws, () => ws.tasks.add("t", { priority: p }), 3);
  });
});

describe("library: every duration has a range", () => {
  const { min, max } = DURATIONS.ttl;
  it.each([
    ["tasks.claim ttlMs", (ws: Workspace, ms: number) => ws.tasks.claim(undefined, { ttlMs: ms })],
    ["leases.lock ttlMs", (ws: Workspace, ms: number) => ws.leases.lock([`f${++serial}`], { ttlMs: ms })],
  ])("%s: 100ms to 7d", async (_name, call) => {
    await using ws = await team();
    for (let i = 0; i < 3; i++) await newTask(ws);
    for (const ms of [min, max]) await expect(call(ws, ms)).resolves.toBeDefined();
    for (const ms of [min - 1, max + 1, ...ABSURD_MS]) await expectRefused(ws, () => call(ws, ms), max);
  });

  it("a wait is up to a day; 0 looks once", async () => {
    await using ws = await team();
    const question = await ws.human.ask("now?");
    expect((await ws.human.waitForAnswer(question.id, 0)).status).toBe("open");
    for (const ms of [DURATIONS.wait.max + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expectRefused(ws, () => ws.human.waitForAnswer(question.id, ms), DURATIONS.wait.max);
      await expectRefused(ws, () => ws.messages.inbox({ waitMs: ms }), DURATIONS.wait.max);
    }
  });
});

describe("store: its own floor under every face", () => {
  it("refuses an out-of-range duration or an oversized operation from a caller that skips the services", async () => {
    const store = new SqliteStore({ path: join(tempDir(), "baton.db") });
    try {
      const refused = async (attempt: Promise<unknown>) => {
        const error = await attempt.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(BatonError);
        expect((error as BatonError).code).toBe("invalid_input");
      };
      await store.addTask({ actor: "a", prefix: "T", queue: "tasks", title: "t", maxAttempts: 3 });
      for (const ttlMs of [...ABSURD_MS, DURATIONS.ttl.max + 1]) {
        await refused(store.claimTask({ actor: "a", ttlMs }));
        await refused(store.acquireLeases({ actor: "a", paths: ["x"], exclusive: true, ttlMs }));
      }
      await refused(store.sweep({ actor: "guardian", hungAfterMs: Number.POSITIVE_INFINITY }));
      await refused(
        store.addTask({ actor: "a", prefix: "T", queue: "tasks", title: "x".repeat(TEN_MB), maxAttempts: 3 }),
      );
      await refused(
        store.addTask({
          actor: "a",
          prefix: "T",
          queue: "tasks",
          title: "t",
          maxAttempts: 3,
          slaMs: Number.NaN,
        }),
      );
      expect(await store.listTasks({ status: ["open", "claimed"] })).toHaveLength(1);
      expect((await store.claimTask({ actor: "a", ttlMs: DURATIONS.ttl.max })).task).not.toBeNull();
    } finally {
      await store.close();
    }
  });
});

describe("config: every duration key has a range", () => {
  const keys: [string, keyof typeof DURATIONS, (value: unknown) => unknown][] = [
    ["claim_ttl", "ttl", (v) => ({ claim_ttl: v })],
    ["lease_ttl", "ttl", (v) => ({ lease_ttl: v })],
    ["heartbeat_interval", "heartbeatInterval", (v) => ({ heartbeat_interval: v })],
    ["hung_after", "silence", (v) => ({ hung_after: v })],
    ["offline_after", "silence", (v) => ({ offline_after: v })],
    ["guardian_interval", "sweepInterval", (v) => ({ guardian_interval: v })],
    [
      "hooks[0].timeout",
      "hookTimeout",
      (v) => ({ hooks: [{ on: "task.added", run: ["true"], timeout: v }] }),
    ],
  ];
  it.each(keys)("%s", (_key, kind, config) => {
    const { min, max } = DURATIONS[kind];
    for (const ok of [`${min}ms`, `${max}ms`, formatDuration(max)])
      expect(() => normaliseConfig(config(ok))).not.toThrow();
    for (const bad of [
      `${min - 1}ms`,
      `${max + 1}ms`,
      "9".repeat(400),
      "0",
      "-1s",
      "",
      "soon",
      Number.POSITIVE_INFINITY,
      1e300,
      [],
    ]) {
      const attempt = () => normaliseConfig(config(bad));
      expect(attempt, `accepted ${String(bad).slice(0, 20)}`).toThrow(BatonError);
      try {
        attempt();
      } catch (error) {
        expect((error as BatonError).code).toBe("invalid_input");
        expect((error as BatonError).message).toContain(".baton/config.json");
        expect((error as BatonError).hint).toContain(describeRange(DURATIONS[kind]));
      }
    }
  });

  it("an SLA is 1 minute to a year, in minutes or hours; max_attempts 1 to 100", () => {
    const queue = (sla: Record<string, unknown>) => ({ queues: { q: { prefix: "Q", ...sla } } });
    for (const ok of [
      { sla_minutes: 1 },
      { sla_minutes: 525_600 },
      { sla_hours: 8760 },
      { sla_minutes: null },
    ])
      expect(() => normaliseConfig(queue(ok))).not.toThrow();
    for (const bad of [
      { sla_minutes: 0.5 },
      { sla_minutes: 525_601 },
      { sla_hours: Number("1e400") },
      { sla_minutes: "soon" },
      { sla_minutes: -1 },
    ])
      expect(() => normaliseConfig(queue(bad))).toThrow("SLA");
    for (const ok of [1, 100]) expect(normaliseConfig({ max_attempts: ok }).maxAttempts).toBe(ok);
    for (const bad of [0, 101, 1.5, Number("1e400"), "3", []])
      expect(() => normaliseConfig({ max_attempts: bad })).toThrow("max_attempts");
  });
});

describe("config: a typo is refused with the key it meant", () => {
  it.each([
    [{ claim_tll: "1h" }, '"claim_ttl"'],
    [{ guardian_intervall: "1m" }, '"guardian_interval"'],
    [{ queues: { tasks: { prefx: "T" } } }, '"prefix"'],
    [{ queues: { tasks: { prefix: "T", sla_minute: 5 } } }, '"sla_minutes"'],
    [{ hooks: [{ on: "task.added", run: ["true"], timout: "1s" }] }, '"timeout"'],
    [{ something_else: true }, "the keys are"],
  ])("%j", (raw, meant) => {
    expect(() => normaliseConfig(raw)).toThrow(BatonError);
    try {
      normaliseConfig(raw);
    } catch (error) {
      expect(`${(error as BatonError).message} ${(error as BatonError).hint}`).toContain(meant);
    }
  });

  it("accepts $schema, and a file that starts with a byte-order mark", () => {
    expect(() => normaliseConfig({ $schema: "https://example.com/baton.json" })).not.toThrow();
    const repo = tempRepo({ humans: ["lea"] });
    writeFileSync(join(repo, ".baton/config.json"), `\uFEFF{ "claim_ttl": "20m" }`);
    expect(readConfig(repo).claimTtlMs).toBe(20 * 60_000);
  });
});

describe("durations: parsed within range, printed without NaN or Infinity", () => {
  it.each(
    [
      "",
      " ",
      "0",
      "0ms",
      "-1s",
      "1e999",
      "Infinity",
      "NaN",
      "1.5.5s",
      "15x",
      "٣s",
      "9".repeat(400),
      `${"9".repeat(400)}d`,
      "1h".repeat(10_000),
      "99999999d",
      "5m garbage",
    ].map((text) => [
      text.length > 40 ? `${text.slice(0, 12)}… (${text.length} characters)` : JSON.stringify(text),
      text,
    ]),
  )("refuses %s with the range in the hint", (_name, text) => {
    try {
      parseDuration(text, "x", DURATIONS.ttl);
      expect.unreachable();
    } catch (error) {
      expect((error as BatonError).hint).toContain("100ms to 7d");
      expect((error as BatonError).message.length).toBeLessThan(200);
    }
  });

  it.each([
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    1e21,
    0,
    7 * 86_400_000,
  ])("formats %s without NaN, Infinity or an exponent", (ms) => {
    expect(formatDuration(ms)).not.toMatch(/NaN|Infinity|e\+/);
  });

  it("a hook timeout past the timer limit waits instead of firing at once", async () => {
    // Before the clamp, setTimeout turned 2^31 ms into 1 ms and every gate "timed out".
    const outcome = await runHook(
      ["sleep", "0.3"],
      { type: "task.added" },
      { cwd: tempDir(), timeoutMs: 2 ** 31 + 1000 },
    );
    expect(outcome.timedOut).toBe(false);
    expect(outcome.code).toBe(0);
  });
});
