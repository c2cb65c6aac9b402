import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { serve } from "./helpers/serve-process.js";
import { EventStreamClient } from "./helpers/sse-client.js";
import { baton, batonInBackground, tempRepo } from "./helpers/temp-repo.js";

/**
 * `baton serve` as a user runs it: the whole hub in one process, reached with
 * real credentials only (a key made by `baton key create`, a browser paired
 * with the link serve prints), and what runs inside it (the guardian, hooks).
 */

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

function keyFor(repo: string, agent: string): string {
  const made = baton(repo, ["key", "create", "--agent", agent, "--as", "lea", "--json"]);
  expect(made.code, made.stderr).toBe(0);
  return made.json().secret;
}

async function api(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, checked by the assertions
  return { status: res.status, body: (await res.json()) as any };
}

describe("baton serve", () => {
  it("pairs a browser with the printed link once, takes agents' keys, and keeps decisions for the human", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const { base, pairLink } = await serve(repo);
    const page = await fetch(pairLink.replace(/#.*/, ""));
    expect(page.status).toBe(200);
    // The web app's page: no inline script (its policy forbids them), its code from the hub itself.
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);

    const token = new URL(pairLink).hash.slice(1);
    const paired = await fetch(`${base}/api/v1/pair`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Mozilla/5.0 (iPhone) Safari/604" },
      body: JSON.stringify({ token }),
    });
    expect(paired.status).toBe(200);
    const cookie = paired.headers.get("set-cookie")!.split(";")[0]!;
    expect(paired.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);
    const { csrfToken, device } = (await paired.json()) as { csrfToken: string; device: { human: string } };
    expect(device.human).toBe("lea");
    // The link works once.
    expect((await api(base, "POST", "/pair", {}, { token })).status).toBe(401);

    const key = keyFor(repo, "claude-1");
    const agent = { authorization: `Bearer ${key}` };
    expect((await api(base, "GET", "/tasks", {})).status).toBe(401);
    expect((await api(base, "GET", "/tasks", { authorization: "Bearer bk_wrong" })).status).toBe(401);
    const asked = await api(base, "POST", "/approvals", agent, { action: "deploy to prod" });
    expect(asked.status).toBe(201);
    expect(asked.body.approval.requestedBy).toBe("claude-1");

    // The agent's key cannot decide; the human's device can, with its CSRF token only.
    expect((await api(base, "POST", "/approvals/A-1/decision", agent, { approve: true })).status).toBe(403);
    expect((await api(base, "POST", "/approvals/A-1/decision", { cookie }, { approve: true })).status).toBe(
      403,
    );
    expect(baton(repo, ["approvals", "--json"]).json().approvals[0].status).toBe("pending");
    const decided = await api(
      base,
      "POST",
      "/approvals/A-1/decision",
      { cookie, "x-csrf-token": csrfToken },
      { approve: true, note: "go" },
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.approval).toMatchObject({ status: "approved", decidedBy: "lea" });

    // Forged Host (DNS rebinding) and a revoked key are refused; revoking a device ends its session.
    // fetch will not send another Host: a plain request does, as a rebound DNS name would.
    const forged = await new Promise<number>((resolve, reject) => {
      const url = new URL(base);
      get(
        {
          host: url.hostname,
          port: url.port,
          path: "/api/v1/tasks",
          headers: { ...agent, host: "evil.example" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      ).on("error", reject);
    });
    expect(forged).toBe(403);
    expect(baton(repo, ["key", "revoke", "K-1", "--as", "lea"]).code).toBe(0);
    expect((await api(base, "GET", "/tasks", agent)).status).toBe(401);
    expect(baton(repo, ["devices", "revoke", "D-1", "--as", "lea"]).code).toBe(0);
    expect((await api(base, "GET", "/tasks", { cookie })).status).toBe(401);
  });

  it("delivers over SSE what a CLI commits, through the hub or straight to the file, and serves MCP to a key", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const { base } = await serve(repo);
    const key = keyFor(repo, "claude-1");
    const stream = await EventStreamClient.connect(base, "/api/v1/events?type=task.", {
      authorization: `Bearer ${key}`,
    });
    expect(stream.status).toBe(200);
    expect(baton(repo, ["task", "add", "through the hub"], { BATON_AGENT: "lead" }).code).toBe(0);
    expect(baton(repo, ["task", "add", "to the file"], { BATON_AGENT: "lead", BATON_HUB: "off" }).code).toBe(
      0,
    );
    await stream.until((s) => s.events.length >= 2, "two task events");
    expect(stream.events.map((e) => e.data.summary)).toEqual([
      expect.stringContaining("through the hub"),
      expect.stringContaining("to the file"),
    ]);

    const client = new Client({ name: "serve-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
    stops.push(() => client.close());
    const claimed = (await client.callTool({ name: "claim_task", arguments: {} })) as {
      content: { text: string }[];
    };
    expect(JSON.parse(claimed.content[0]!.text).task).toMatchObject({ id: "T-1", holder: "claude-1" });
    expect(baton(repo, ["task", "show", "T-1", "--json"]).json().task.holder).toBe("claude-1");
  });

  it("runs the guardian and the hooks inside the hub", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const out = join(repo, "hooked.txt");
    const record = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>require('fs').appendFileSync(${JSON.stringify(out)},JSON.parse(s).task.id+'\\n'))`;
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({
        humans: ["lea"],
        guardian_interval: "200ms",
        hooks: [{ on: "task.added", run: [process.execPath, "-e", record] }],
      }),
    );
    const { base } = await serve(repo);
    const key = keyFor(repo, "claude-1");
    const agent = { authorization: `Bearer ${key}` };
    expect((await api(base, "POST", "/tasks", agent, { title: "short claim" })).status).toBe(201);
    expect((await api(base, "POST", "/tasks/T-1/claim", agent, { ttl: "300ms" })).status).toBe(200);
    // Nobody else runs: the hub's guardian puts the task back, and its hook ran for the task.
    const deadline = Date.now() + 20_000;
    let status = "";
    while (Date.now() < deadline) {
      status = baton(repo, ["task", "show", "T-1", "--json"], { BATON_HUB: "off" }).json().task.status;
      if (status === "open" && existsSync(out)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe("open");
    expect(readFileSync(out, "utf8").trim().split("\n")).toEqual(["T-1"]);
  });

  it("one hub per store, however many start at once", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const starts = Array.from({ length: 5 }, () =>
      batonInBackground(repo, ["serve", "--port", "0", "--no-pair"], { BATON_HUB: undefined }),
    );
    for (const start of starts)
      stops.push(async () => {
        start.child.kill("SIGTERM");
        await start.done;
      });
    // The losers exit at once with conflict (3); the one hub keeps running.
    const exited: number[] = [];
    for (const start of starts) void start.done.then((r) => exited.push(r.code));
    // Five processes starting at once on a busy 2-core machine: up to 30 s for the four to give way.
    for (let i = 0; i < 1200 && exited.length < 4; i++) await new Promise((r) => setTimeout(r, 25));
    expect(exited).toEqual([3, 3, 3, 3]);
    expect(baton(repo, ["task", "add", "through the one hub"], { BATON_AGENT: "lead" }).code).toBe(0);
  });

  it("runs each hook on its own: one that hangs does not hold the others back", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const slowStarted = join(repo, "slow-started.txt");
    const slowEnded = join(repo, "slow-ended.txt");
    const quick = join(repo, "quick.txt");
    const append = (file: string, text: string) =>
      `require('fs').appendFileSync(${JSON.stringify(file)}, ${JSON.stringify(text)})`;
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({
        humans: ["lea"],
        hooks: [
          {
            on: "message.sent",
            run: [
              process.execPath,
              "-e",
              `${append(slowStarted, "x")};setTimeout(()=>{${append(slowEnded, "x")}},30000)`,
            ],
            timeout: "40s",
          },
          { on: "task.added", run: [process.execPath, "-e", append(quick, "x")] },
        ],
      }),
    );
    await serve(repo);
    baton(repo, ["agent", "join", "bob"]);
    for (let i = 0; i < 3; i++)
      expect(baton(repo, ["send", "bob", `ping ${i}`], { BATON_AGENT: "a" }).code).toBe(0);
    expect(baton(repo, ["task", "add", "quick one"], { BATON_AGENT: "lead" }).code).toBe(0);
    for (let i = 0; i < 600 && !existsSync(quick); i++) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(quick)).toBe(true);
    expect(existsSync(slowStarted)).toBe(true);
    expect(existsSync(slowEnded)).toBe(false); // the slow hook still sleeps, and the quick one has run
  });
});
