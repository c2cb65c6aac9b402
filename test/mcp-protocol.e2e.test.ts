import { afterEach, describe, expect, it } from "vitest";
import {
  describeAnswer,
  describeExpected,
  type Expected,
  exchange,
  expectWellFormed,
} from "./helpers/mcp-expect.js";
import { RawMcp } from "./helpers/raw-mcp.js";
import { tempRepo } from "./helpers/temp-repo.js";

const PARSE = -32700;
const INVALID_REQUEST = -32600;
const NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const LIMIT = 4 * 1024 * 1024;

const servers: RawMcp[] = [];
afterEach(() => {
  while (servers.length) servers.pop()!.kill();
});

function start(): RawMcp {
  const mcp = RawMcp.start(tempRepo(), "claude-1");
  servers.push(mcp);
  return mcp;
}

const json = (value: unknown) => JSON.stringify(value);
const req = (id: unknown, method: string, params?: unknown) =>
  json({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
const note = (method: string, params?: unknown) =>
  json({ jsonrpc: "2.0", method, ...(params === undefined ? {} : { params }) });
const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

interface Case {
  name: string;
  lines: (string | Buffer)[];
  expect: Expected[];
}

/** JSON-RPC 2.0 and MCP, case by case, on an initialized session. */
const CASES: Case[] = [
  // Unreadable lines: JSON-RPC's parse error, with a null id (none could be read).
  { name: "not JSON", lines: ["nonsense"], expect: [{ id: null, code: PARSE }] },
  {
    name: "truncated JSON",
    lines: ['{"jsonrpc":"2.0","id":1,"method":"pi'],
    expect: [{ id: null, code: PARSE }],
  },
  {
    name: "invalid UTF-8",
    lines: [
      Buffer.concat([
        Buffer.from('{"jsonrpc":"2.0","id":"u8","method":"ping","params":{"x":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}}'),
      ]),
    ],
    expect: [{ id: null, code: PARSE }],
  },
  { name: "a blank line, spaces, a lone CR", lines: ["", "   ", "\r"], expect: [] },
  { name: "CRLF framing", lines: [`${req("crlf", "ping")}\r`], expect: [{ id: "crlf", result: "ok" }] },
  {
    name: "a byte-order mark",
    lines: [`\ufeff${req("bom", "ping")}`],
    expect: [{ id: "bom", result: "ok" }],
  },
  // Valid JSON that is no request: Invalid Request.
  {
    name: "not an object",
    lines: ["42", '"ping"', "null", "true"],
    expect: [1, 2, 3, 4].map(() => ({ id: null, code: INVALID_REQUEST })),
  },
  {
    name: "jsonrpc missing, 1.0, a number, with a space",
    lines: [
      json({ id: "j1", method: "ping" }),
      json({ jsonrpc: "1.0", id: "j2", method: "ping" }),
      json({ jsonrpc: 2, id: "j3", method: "ping" }),
      json({ jsonrpc: "2.0 ", id: "j4", method: "ping" }),
    ],
    expect: ["j1", "j2", "j3", "j4"].map((id) => ({ id, code: INVALID_REQUEST })),
  },
  {
    name: "ids that are neither a string nor an integer",
    lines: [null, 1.5, true, {}, [], 2 ** 60, -0.5].map((id) => req(id, "ping")),
    expect: [1, 2, 3, 4, 5, 6, 7].map(() => ({ id: null, code: INVALID_REQUEST })),
  },
  {
    name: "ids that are: empty, negative, zero, unicode, a lone surrogate",
    lines: ["", -7, 0, "ид-🦀", "\ud83d"].map((id) => req(id, "ping")),
    expect: ["", -7, 0, "ид-🦀", "\ud83d"].map((id) => ({ id, result: "ok" as const })),
  },
  {
    name: "method not a string",
    lines: [5, null, {}, ["ping"]].map((method, i) => json({ jsonrpc: "2.0", id: `m${i}`, method })),
    expect: [0, 1, 2, 3].map((i) => ({ id: `m${i}`, code: INVALID_REQUEST })),
  },
  {
    name: "a notification with a bad method is still answered (it is no notification)",
    lines: [json({ jsonrpc: "2.0", method: 1, params: "bar" })],
    expect: [{ id: null, code: INVALID_REQUEST }],
  },
  {
    name: "a method and a result together, or neither",
    lines: [
      json({ jsonrpc: "2.0", id: "mr", method: "ping", result: {} }),
      json({ jsonrpc: "2.0", id: "none" }),
    ],
    expect: [
      { id: "mr", code: INVALID_REQUEST },
      { id: "none", code: INVALID_REQUEST },
    ],
  },
  {
    name: "params in an array (JSON-RPC's positional params, not MCP's)",
    lines: [req("pa", "ping", []), req("pa2", "tools/list", [1, 2])],
    expect: [
      { id: "pa", code: INVALID_PARAMS },
      { id: "pa2", code: INVALID_PARAMS },
    ],
  },
  {
    name: "params neither an object nor an array",
    lines: [req("p1", "ping", "x"), req("p2", "ping", 3), req("p3", "ping", null), req("p4", "ping", false)],
    expect: ["p1", "p2", "p3", "p4"].map((id) => ({ id, code: INVALID_REQUEST })),
  },
  {
    name: "notifications: never answered, whatever they hold",
    lines: [
      note("notifications/initialized"),
      note("no/such/notification", { a: 1 }),
      note("notifications/cancelled", [1, 2]),
      note("notifications/cancelled", { requestId: {} }),
      note("notifications/progress", { progressToken: "nobody", progress: 1 }),
    ],
    expect: [],
  },
  {
    name: "responses from the client to requests never sent: not answered",
    lines: [
      json({ jsonrpc: "2.0", id: 424242, result: {} }),
      json({ jsonrpc: "2.0", id: 5, error: { code: 1, message: "x" } }),
      json({ jsonrpc: "2.0", id: 6, result: 1 }),
    ],
    expect: [],
  },
  {
    name: "methods baton does not serve",
    lines: [
      req("u1", "nope"),
      req("u2", ""),
      req("u3", "resources/list"),
      req("u4", "rpc.discover"),
      req("u5", "🦀".repeat(10_000)),
    ],
    expect: ["u1", "u2", "u3", "u4", "u5"].map((id) => ({ id, code: NOT_FOUND })),
  },
  {
    name: "served methods with params that do not fit",
    lines: [
      req("v1", "tools/call", {}),
      req("v2", "tools/call", { name: 5 }),
      req("v3", "tools/call", { name: "list_tasks", arguments: "all" }),
      req("v4", "logging/setLevel", { level: "loud" }),
      req("v5", "tools/list", { cursor: 5 }),
      req("v6", "ping", { _meta: { progressToken: {} } }),
    ],
    expect: ["v1", "v2", "v3", "v4", "v5", "v6"].map((id) => ({ id, code: INVALID_PARAMS })),
  },
  {
    name: "a tool that does not exist (MCP: a protocol error)",
    lines: [req("t1", "tools/call", { name: "claim", arguments: {} })],
    expect: [{ id: "t1", code: INVALID_PARAMS }],
  },
  {
    name: "a tool's arguments that do not fit (MCP 2025-11-25: a tool error the model can read)",
    lines: [
      req("a1", "tools/call", { name: "claim_task", arguments: { id: "T-1" } }),
      req("a2", "tools/call", { name: "create_task", arguments: { title: 42 } }),
    ],
    expect: [
      { id: "a1", result: "tool_error" },
      { id: "a2", result: "tool_error" },
    ],
  },
  {
    name: "initialize a second time",
    lines: [
      req("i2", "initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "x", version: "1" },
      }),
    ],
    expect: [{ id: "i2", code: INVALID_REQUEST }],
  },
  {
    name: "members JSON-RPC does not define are ignored",
    lines: [json({ jsonrpc: "2.0", id: "x1", method: "ping", extra: { a: 1 } })],
    expect: [{ id: "x1", result: "ok" }],
  },
  {
    name: "batches (removed in MCP 2025-06-18): each request in one refused under its id",
    lines: [
      json([
        JSON.parse(req("b1", "ping")),
        JSON.parse(req("b2", "tools/list")),
        JSON.parse(note("notifications/initialized")),
      ]),
    ],
    expect: [
      { id: "b1", code: INVALID_REQUEST },
      { id: "b2", code: INVALID_REQUEST },
    ],
  },
  {
    name: "batches with no request in them: one error",
    lines: ["[]", "[1,2,3]", json([JSON.parse(note("notifications/initialized"))])],
    expect: [1, 2, 3].map(() => ({ id: null, code: INVALID_REQUEST })),
  },
  {
    name: "JSON nested 100,000 deep (a stack overflow for anything recursive)",
    lines: [
      req("deep", "tools/call", { name: "list_tasks", arguments: { x: JSON.parse(deep(100)) } }).replace(
        deep(100),
        deep(100_000),
      ),
      deep(100_000),
      `{"a":${'{"a":'.repeat(50_000)}1${"}".repeat(50_001)}`,
    ],
    expect: [
      { id: "deep", code: INVALID_REQUEST },
      { id: null, code: INVALID_REQUEST },
      { id: null, code: INVALID_REQUEST },
    ],
  },
  {
    name: "a line just under the limit is read; one byte over is answered and skipped",
    lines: [
      json({ jsonrpc: "2.0", id: "big", method: "ping", params: { pad: "x".repeat(LIMIT - 200) } }),
      "y".repeat(LIMIT + 1),
      req("after", "ping"),
    ],
    expect: [
      { id: "big", result: "ok" },
      { id: null, code: INVALID_REQUEST },
      { id: "after", result: "ok" },
    ],
  },
  {
    name: "a 20 MB line (it used to end the server without a word)",
    lines: [
      `{"jsonrpc":"2.0","id":"huge","method":"tools/call","params":{"name":"send_message","arguments":{"to":"#x","text":"${"z".repeat(20_000_000)}"}}}`,
    ],
    expect: [{ id: null, code: INVALID_REQUEST }],
  },
  {
    name: "valid calls still work",
    lines: [
      req("ok1", "tools/list"),
      req("ok2", "tools/call", { name: "create_task", arguments: { title: "still here" } }),
    ],
    expect: [
      { id: "ok1", result: "ok" },
      { id: "ok2", result: "ok" },
    ],
  },
];

describe("baton mcp answers every malformed message as JSON-RPC 2.0 and MCP say", () => {
  it("answers each case with exactly the expected answers, and goes on serving", async () => {
    const mcp = start();
    expect((await mcp.initialize()).result?.protocolVersion).toBe("2025-06-18");
    for (const c of CASES) {
      const got = await exchange(mcp, c.lines, c.expect);
      expect.soft(got.map(describeAnswer).sort(), c.name).toEqual(c.expect.map(describeExpected).sort());
    }
    expectWellFormed(mcp.answers);
    expect(mcp.garbage).toEqual([]);
    const tools = await mcp.request("tools/list");
    expect(tools.result?.tools).toHaveLength(21);
    expect(await mcp.end()).toEqual({ code: 0, signal: null });
    // Diagnostics went to stderr, one line each.
    expect(mcp.stderr).toMatch(
      /^baton mcp: ignored notification "notifications\/cancelled" with params in an array$/m,
    );
  });

  it("names the cap and the schema's complaint in its messages", async () => {
    const mcp = start();
    await mcp.initialize();
    mcp.send("y".repeat(LIMIT + 1));
    const tooLong = await mcp.waitFor((a) => a.id === null);
    expect(tooLong.error?.message).toContain(`longer than ${LIMIT} bytes`);
    const badParams = await mcp.request("tools/call", { name: 5 });
    expect(badParams.error).toMatchObject({
      code: INVALID_PARAMS,
      message: expect.stringContaining("params.name"),
    });
    const noTool = await mcp.request("tools/call", { name: "claim" });
    expect(noTool.error?.message).toMatch(/^there is no tool "claim"; baton's tools are: .*claim_task/);
    expect(noTool.error?.data).toMatchObject({ tools: expect.arrayContaining(["claim_task"]) });
    const notFound = await mcp.request("resources/list");
    expect(notFound.error?.message).toBe('Method not found: "resources/list"');
  });
});

describe("baton mcp's lifecycle", () => {
  it("serves only initialize and ping until initialize is answered", async () => {
    const mcp = start();
    const before: Case[] = [
      { name: "ping", lines: [req("p", "ping")], expect: [{ id: "p", result: "ok" }] },
      {
        name: "requests",
        lines: [req("l", "tools/list"), req("c", "tools/call", { name: "get_project_info", arguments: {} })],
        expect: [
          { id: "l", code: INVALID_REQUEST },
          { id: "c", code: INVALID_REQUEST },
        ],
      },
      { name: "unknown method", lines: [req("n", "nope")], expect: [{ id: "n", code: NOT_FOUND }] },
      { name: "notifications", lines: [note("notifications/initialized"), note("x")], expect: [] },
      {
        name: "initialize with params that do not fit, then a request",
        lines: [req("bad-init", "initialize", { protocolVersion: 2025 }), req("l2", "tools/list")],
        expect: [
          { id: "bad-init", code: INVALID_PARAMS },
          { id: "l2", code: INVALID_REQUEST },
        ],
      },
    ];
    for (const c of before) {
      const got = await exchange(mcp, c.lines, c.expect);
      expect.soft(got.map(describeAnswer).sort(), c.name).toEqual(c.expect.map(describeExpected).sort());
    }
    const notYet = mcp.answers.find((a) => a.id === "l")!;
    expect(notYet.error?.message).toContain("not initialized: send initialize");
    expect((await mcp.initialize()).result?.serverInfo).toMatchObject({ name: "baton" });
    expect((await mcp.request("tools/list")).result?.tools).toHaveLength(21);
  });

  it("a client that pipes initialize and its first calls without waiting is served in order", async () => {
    const mcp = start();
    mcp.send(
      req("init", "initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "pipe", version: "1" },
      }),
    );
    mcp.send('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    mcp.send(req("list", "tools/list"));
    mcp.send(req("call", "tools/call", { name: "get_project_info", arguments: {} }));
    expect(await mcp.end()).toEqual({ code: 0, signal: null });
    // Every answer a result, the initialize answer first.
    expect(mcp.answers.map(describeAnswer)).toEqual(['"init" ok', '"list" ok', '"call" ok']);
  });

  it("answers requests read before the host closed stdin, then exits 0", async () => {
    const mcp = start();
    await mcp.initialize();
    mcp.send(req("last-1", "tools/call", { name: "create_task", arguments: { title: "piped" } }));
    mcp.send(req("last-2", "tools/list"));
    // The last line, cut short and with no newline: still read, and answered.
    mcp.child.stdin.write('{"jsonrpc":"2.0","id":"no-newline","method":"ping"');
    expect(await mcp.end()).toEqual({ code: 0, signal: null });
    expect(mcp.answers.map(describeAnswer)).toEqual(
      expect.arrayContaining(['"last-1" ok', '"last-2" ok', `null ${PARSE}`]),
    );
  });

  it("keeps serving when the host closes its stderr: logs are best effort", async () => {
    const mcp = start();
    await mcp.initialize();
    mcp.child.stderr.destroy();
    // Each of these writes a line to the closed stderr.
    for (let i = 0; i < 20; i++) mcp.send(note("notifications/cancelled", [i]));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await mcp.request("tools/list")).result?.tools).toHaveLength(21);
    expect(await mcp.end()).toEqual({ code: 0, signal: null });
  });

  it("holds its reading while the host does not read its answers, and loses none", async () => {
    const mcp = start();
    await mcp.initialize();
    mcp.child.stdout.pause();
    // 20,000 answers of ~100 bytes: far more than a pipe holds, so the server must wait for its reader.
    const count = 20_000;
    const lines = Array.from({ length: count }, () => "nonsense").join("\n");
    mcp.send(lines);
    mcp.send(req("after-flood", "ping"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    mcp.child.stdout.resume();
    await mcp.answerTo("after-flood");
    expect(mcp.answers.filter((a) => a.error?.code === PARSE)).toHaveLength(count);
    expect(mcp.stderr).not.toMatch(/Warning/);
  });

  it("says on stderr why it stops and exits non-zero when the host stops reading its stdout", async () => {
    const mcp = start();
    await mcp.initialize();
    mcp.child.stdout.destroy();
    // Enough answers to meet the closed pipe.
    for (let i = 0; i < 50; i++) mcp.send(req(`gone-${i}`, "ping"));
    const exit = await mcp.exit();
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(mcp.stderr).toMatch(/connection_lost.*cannot write to the host \(stdout\).*EPIPE/);
    expect(mcp.stderr).not.toMatch(/Warning/);
  });
});
