import { afterEach, expect, it } from "vitest";
import {
  describeAnswer,
  describeExpected,
  type Expected,
  exchange,
  expectWellFormed,
} from "./helpers/mcp-expect.js";
import { type Id, RawMcp } from "./helpers/raw-mcp.js";
import { tempRepo } from "./helpers/temp-repo.js";

/**
 * A hostile client: thousands of generated messages, most of them malformed
 * in every way the generator knows, interleaved with valid calls, against the
 * real `baton mcp`. Each kind of message knows, from JSON-RPC 2.0 and MCP
 * alone, what it must bring back; the test holds the server to it message by
 * message, and to staying up.
 */

const PARSE = -32700;
const INVALID_REQUEST = -32600;
const NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const LIMIT = 4 * 1024 * 1024;
const MESSAGES = 3000;
const WINDOW = 40;
const SEED = Number(process.env.BATON_FUZZ_SEED ?? 20250611);

/** mulberry32: small, seeded, the same run every time for one seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Generated {
  line: string | Buffer;
  expect: Expected[];
}

interface Context {
  rnd: () => number;
  pick<T>(items: readonly T[]): T;
  int(max: number): number;
  /** A fresh request id, a string or an integer, never used before in the run. */
  id(): Id;
  text(max: number): string;
  /** Printable text only, for calls that must succeed. */
  safe(max: number): string;
}

const json = (value: unknown) => JSON.stringify(value);
const PRINTABLE = ["a", "Z", "é", "ß", "中", "🦀", "ﬀ", "-", "1", " "];
const UNICODE = [
  "a",
  "é",
  "ß",
  "中",
  "🦀",
  "\u0000",
  "\u2028",
  "\ud83d",
  "\\",
  '"',
  "\t",
  "ﬀ",
  "\u202e",
  " ",
];
const SERVED = new Set(["initialize", "ping", "logging/setLevel", "tools/list", "tools/call"]);
const TOOLS = [
  "get_project_info",
  "list_tasks",
  "create_task",
  "check_files",
  "get_messages",
  "update_status",
];
const BAD_IDS: unknown[] = [
  null,
  1.5,
  -0.25,
  true,
  false,
  {},
  { id: 1 },
  [],
  [1],
  2 ** 60,
  1e300,
  -(2 ** 55),
];
const BAD_METHODS: unknown[] = [5, null, true, {}, [], ["ping"], 1.5];
const BAD_JSONRPC: unknown[] = ["1.0", "2", 2, 2.0, null, true, "2.0 ", " 2.0", "", {}];
const SCALARS: unknown[] = ["x", 3, null, false, true, 0];
const BAD_SERVED: [string, unknown][] = [
  ["tools/call", {}],
  ["tools/call", { name: 5 }],
  ["tools/call", { name: null }],
  ["tools/call", { name: "list_tasks", arguments: "all" }],
  ["tools/call", { name: "list_tasks", arguments: [1] }],
  ["tools/call", { name: "list_tasks", _meta: { progressToken: {} } }],
  ["logging/setLevel", { level: "loud" }],
  ["logging/setLevel", {}],
  ["tools/list", { cursor: 5 }],
  ["ping", { _meta: { progressToken: 1.5 } }],
  ["initialize", { protocolVersion: 1 }],
];
const OVERSIZE = Buffer.alloc(LIMIT + 1 + 64, "q");

/**
 * Each kind of message, with its weight in the mix and what it must bring
 * back. Valid calls weigh as much as all the rest together would let through:
 * about one message in four is a call that must succeed.
 */
const KINDS: { name: string; weight: number; make(c: Context): Generated }[] = [
  {
    name: "random bytes",
    weight: 6,
    make: (c) => {
      const bytes = Buffer.from(
        Array.from({ length: 1 + c.int(200) }, () => c.int(256)).filter((b) => b !== 0x0a),
      );
      // A leading '}' makes it invalid JSON whatever follows (invalid UTF-8 is a parse error too).
      return { line: Buffer.concat([Buffer.from("}"), bytes]), expect: [{ id: null, code: PARSE }] };
    },
  },
  {
    name: "truncated JSON",
    weight: 6,
    make: (c) => {
      const full = json({
        jsonrpc: "2.0",
        id: c.id(),
        method: "tools/call",
        params: { name: "x", arguments: { t: c.text(30) } },
      });
      // Any strict prefix of an object's text is invalid JSON.
      return { line: full.slice(0, 1 + c.int(full.length - 1)), expect: [{ id: null, code: PARSE }] };
    },
  },
  {
    name: "invalid UTF-8 in a string",
    weight: 2,
    make: (c) => ({
      line: Buffer.concat([
        Buffer.from(`{"jsonrpc":"2.0","id":${json(c.id())},"method":"ping","params":{"s":"`),
        Buffer.from([c.pick([0xff, 0xc0, 0xed, 0x80, 0xf8])]),
        Buffer.from('"}}'),
      ]),
      expect: [{ id: null, code: PARSE }],
    }),
  },
  {
    name: "not an object",
    weight: 3,
    make: (c) => ({
      line: json(c.pick([1, -2.5, "ping", null, true, false, c.text(20)])),
      expect: [{ id: null, code: INVALID_REQUEST }],
    }),
  },
  {
    name: "wrong jsonrpc",
    weight: 4,
    make: (c) => {
      const id = c.id();
      const value: Record<string, unknown> = { id, method: "ping" };
      if (c.rnd() < 0.8) value.jsonrpc = c.pick(BAD_JSONRPC);
      return { line: json(value), expect: [{ id, code: INVALID_REQUEST }] };
    },
  },
  {
    name: "ids of a wrong type",
    weight: 5,
    make: (c) => ({
      line: json({ jsonrpc: "2.0", id: c.pick(BAD_IDS), method: c.pick(["ping", "tools/list", "nope"]) }),
      expect: [{ id: null, code: INVALID_REQUEST }],
    }),
  },
  {
    name: "method of a wrong type",
    weight: 3,
    make: (c) => {
      const withId = c.rnd() < 0.7;
      const id = withId ? c.id() : null;
      const value = { jsonrpc: "2.0", ...(id === null ? {} : { id }), method: c.pick(BAD_METHODS) };
      // Not even a notification: answered, under its id if it has one.
      return { line: json(value), expect: [{ id, code: INVALID_REQUEST }] };
    },
  },
  {
    name: "params of a wrong type",
    weight: 5,
    make: (c) => {
      const id = c.id();
      if (c.rnd() < 0.5)
        return {
          line: json({ jsonrpc: "2.0", id, method: "ping", params: [c.text(5)] }),
          expect: [{ id, code: INVALID_PARAMS }],
        };
      return {
        line: json({ jsonrpc: "2.0", id, method: "tools/list", params: c.pick(SCALARS) }),
        expect: [{ id, code: INVALID_REQUEST }],
      };
    },
  },
  {
    name: "a method and a result, or neither",
    weight: 2,
    make: (c) => {
      const id = c.id();
      const value =
        c.rnd() < 0.5
          ? { jsonrpc: "2.0", id, method: "ping", error: { code: 1, message: "x" } }
          : { jsonrpc: "2.0", id, params: {} };
      return { line: json(value), expect: [{ id, code: INVALID_REQUEST }] };
    },
  },
  {
    name: "unknown methods",
    weight: 6,
    make: (c) => {
      let method = c.pick([
        "resources/list",
        "prompts/get",
        "tools/run",
        "rpc.discover",
        "",
        "PING",
        "tools/list ",
        c.text(40),
        "x".repeat(100_000),
      ]);
      if (SERVED.has(method)) method = `${method}!`;
      const id = c.id();
      return { line: json({ jsonrpc: "2.0", id, method }), expect: [{ id, code: NOT_FOUND }] };
    },
  },
  {
    name: "served methods with params that do not fit",
    weight: 6,
    make: (c) => {
      const [method, params] = c.pick(BAD_SERVED);
      const id = c.id();
      // A second initialize is refused as such, whatever its params.
      return {
        line: json({ jsonrpc: "2.0", id, method, params }),
        expect: [{ id, code: method === "initialize" ? INVALID_REQUEST : INVALID_PARAMS }],
      };
    },
  },
  {
    name: "tools that do not exist",
    weight: 3,
    make: (c) => {
      const id = c.id();
      const name = c.pick(["claim", "list_task", "", "TOOLS/CALL", c.text(30)]);
      return {
        line: json({
          jsonrpc: "2.0",
          id,
          method: "tools/call",
          params: { name: TOOLS.includes(name) ? `${name}_` : name, arguments: {} },
        }),
        expect: [{ id, code: INVALID_PARAMS }],
      };
    },
  },
  {
    name: "tool calls with arguments that do not fit",
    weight: 6,
    make: (c) => {
      const id = c.id();
      const [name, args] = c.pick<[string, unknown]>([
        [c.pick(TOOLS), { [`zz_${c.int(1000)}`]: c.text(10) }],
        ["create_task", { title: c.pick([42, null, [], {}, true, ""]) }],
        ["create_task", { title: "x", priority: c.pick([-1, 9, 1.5, "high"]) }],
        ["check_files", { paths: c.pick(["a.ts", 5, [1], null]) }],
        ["send_message", { to: "#x", text: "t".repeat(16_385 + c.int(100_000)) }],
        ["update_status", { working_on: { deep: [[[]]] } }],
      ]);
      return {
        line: json({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } }),
        expect: [{ id, result: "tool_error" }],
      };
    },
  },
  {
    name: "deep nesting",
    weight: 2,
    make: (c) => {
      const depth = 100 + c.int(60_000);
      const nest = `${"[".repeat(depth)}${"]".repeat(depth)}`;
      if (c.rnd() < 0.5) return { line: nest, expect: [{ id: null, code: INVALID_REQUEST }] };
      const id = c.id();
      return {
        line: `{"jsonrpc":"2.0","id":${json(id)},"method":"tools/call","params":{"name":"list_tasks","arguments":{"x":${nest}}}}`,
        expect: [{ id, code: INVALID_REQUEST }],
      };
    },
  },
  {
    name: "lines over the 4 MiB limit",
    weight: 1,
    make: () => ({ line: OVERSIZE, expect: [{ id: null, code: INVALID_REQUEST }] }),
  },
  {
    name: "batches",
    weight: 2,
    make: (c) => {
      if (c.rnd() < 0.4)
        return {
          line: c.pick([
            "[]",
            "[1]",
            '[{"jsonrpc":"2.0","method":"notifications/initialized"}]',
            "[null,[]]",
          ]),
          expect: [{ id: null, code: INVALID_REQUEST }],
        };
      const ids = [c.id(), c.id()];
      const items = [
        ...ids.map((id) => ({ jsonrpc: "2.0", id, method: "ping" })),
        { jsonrpc: "2.0", method: "notifications/initialized" },
      ];
      return { line: json(items), expect: ids.map((id) => ({ id, code: INVALID_REQUEST })) };
    },
  },
  {
    name: "notifications (never answered)",
    weight: 5,
    make: (c) => ({
      line: json({
        jsonrpc: "2.0",
        method: c.pick([
          "notifications/initialized",
          "notifications/cancelled",
          "notifications/progress",
          "no/such",
          c.text(20),
        ]),
        ...(c.rnd() < 0.7
          ? {
              params: c.pick([
                {},
                [1, 2],
                { requestId: {} },
                { progressToken: "x", progress: "y" },
                { a: c.text(10) },
              ]),
            }
          : {}),
      }),
      expect: [],
    }),
  },
  {
    name: "responses to nothing (never answered)",
    weight: 2,
    make: (c) => ({
      line: json(
        c.pick([
          { jsonrpc: "2.0", id: 90_000 + c.int(1000), result: {} },
          { jsonrpc: "2.0", id: "r", error: { code: -1, message: "m" } },
          { jsonrpc: "2.0", id: 1, result: 5 },
        ]),
      ),
      expect: [],
    }),
  },
  { name: "blank lines", weight: 1, make: (c) => ({ line: c.pick(["", " ", "\t", "\r"]), expect: [] }) },
  {
    name: "valid calls",
    weight: 30,
    make: (c) => {
      const id = c.id();
      const [method, params] = c.pick<[string, unknown]>([
        ["ping", undefined],
        ["ping", { _meta: { progressToken: c.int(100) } }],
        ["tools/list", {}],
        ["tools/call", { name: "get_project_info", arguments: {} }],
        ["tools/call", { name: "list_tasks" }],
        ["tools/call", { name: "create_task", arguments: { title: c.safe(50), tags: [`tag-${c.int(50)}`] } }],
        [
          "tools/call",
          { name: "send_message", arguments: { to: c.pick(["*", "fuzz-1"]), text: c.safe(200) } },
        ],
        ["tools/call", { name: "check_files", arguments: { paths: ["src/a.ts"] } }],
        ["logging/setLevel", { level: "debug" }],
      ]);
      const extra = c.rnd() < 0.1 ? { unknownMember: c.text(5) } : {};
      return {
        line: json({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }), ...extra }),
        expect: [{ id, result: "ok" }],
      };
    },
  },
];

const servers: RawMcp[] = [];
afterEach(() => {
  while (servers.length) servers.pop()!.kill();
});

it(`answers ${MESSAGES} hostile messages one by one as the protocol says, and stays up`, async () => {
  const rnd = random(SEED);
  let next = 0;
  const c: Context = {
    rnd,
    pick: (items) => items[Math.floor(rnd() * items.length)]!,
    int: (max) => Math.floor(rnd() * max),
    id: () => (rnd() < 0.5 ? ++next : `id-${++next}-${c.text(4)}`),
    text: (max) => Array.from({ length: c.int(max + 1) }, () => c.pick(UNICODE)).join(""),
    safe: (max) => `v${Array.from({ length: c.int(max) }, () => c.pick(PRINTABLE)).join("")}`,
  };
  const total = KINDS.reduce((sum, kind) => sum + kind.weight, 0);
  const pickKind = () => {
    let roll = rnd() * total;
    for (const kind of KINDS) {
      roll -= kind.weight;
      if (roll < 0) return kind;
    }
    return KINDS.at(-1)!;
  };

  const mcp = RawMcp.start(tempRepo(), "fuzz-1");
  servers.push(mcp);
  await mcp.initialize();
  const tally = new Map(KINDS.map((kind) => [kind.name, { sent: 0, expected: 0, held: 0 }]));
  const failures: string[] = [];
  for (let sent = 0; sent < MESSAGES; sent += WINDOW) {
    const batch = Array.from({ length: Math.min(WINDOW, MESSAGES - sent) }, () => {
      const kind = pickKind();
      return { kind: kind.name, ...kind.make(c) };
    });
    const expected = batch.flatMap((m) => m.expect);
    const got = await exchange(
      mcp,
      batch.map((m) => m.line),
      expected,
    );
    // Answers with an id belong to one message; those with a null id are matched by code within the window.
    const gotLines = got.map(describeAnswer);
    for (const m of batch) {
      const t = tally.get(m.kind)!;
      t.sent++;
      t.expected += m.expect.length;
      let held = true;
      for (const e of m.expect) {
        const want = describeExpected(e);
        const at = gotLines.indexOf(want);
        if (at === -1) {
          held = false;
          failures.push(`${m.kind}: wanted ${want}, line ${String(m.line).slice(0, 120)}`);
        } else gotLines.splice(at, 1);
      }
      if (held) t.held++;
    }
    // Whatever is left answered nothing that asked: a second answer, or an answer to a notification.
    for (const extra of gotLines) failures.push(`unexpected answer ${extra} in window at ${sent}`);
  }
  expectWellFormed(mcp.answers);
  expect(mcp.garbage).toEqual([]);
  // Exactly one answer per id across the whole run.
  const ids = mcp.answers.filter((a) => a.id !== null).map((a) => json(a.id));
  expect(ids.length - new Set(ids).size).toBe(0);
  expect(failures.slice(0, 20)).toEqual([]);

  const tools = await mcp.request("tools/list");
  expect(tools.result?.tools).toHaveLength(21);
  expect(await mcp.end()).toEqual({ code: 0, signal: null });
  console.log(
    `seed ${SEED}: kind → sent → answered as expected\n${[...tally].map(([name, t]) => `  ${name}: ${t.sent} sent, ${t.held} held (${t.expected} answers due)`).join("\n")}`,
  );
  for (const [, t] of tally) expect(t.held).toBe(t.sent);
  expect([...tally.values()].every((t) => t.sent > 0)).toBe(true);
});
