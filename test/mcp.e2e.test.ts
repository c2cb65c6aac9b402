import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { describe, expect, it } from "vitest";
import { connectMcp } from "./helpers/mcp-client.js";
import { baton, CLI, tempRepo } from "./helpers/temp-repo.js";
import { teamRepo } from "./hosts/kit.js";

const connect = connectMcp;

type ToolAnswer = {
  isError?: boolean;
  content: { type: string; text: string }[];
  structuredContent?: {
    error?: { code: string; message: string; hint: string; details?: Record<string, unknown> };
  };
};

async function call(client: Client, name: string, args: Record<string, unknown> = {}, options = {}) {
  const result = (await client.callTool({ name, arguments: args }, undefined, options)) as ToolAnswer;
  const text = result.content[0]!.text;
  return {
    isError: result.isError === true,
    text,
    error: result.structuredContent?.error,
    json: () => JSON.parse(text),
  };
}

/** A hint shown to a model must name tools, never a CLI command or flag it cannot run. */
function expectToolWorded(hint: string | undefined): void {
  expect(hint).toBeTruthy();
  expect(hint).not.toMatch(/\bbaton [a-z]|(^|\s)--[a-z]/);
}

describe("baton mcp with the official MCP client", () => {
  it("lists every tool with a description and a schema", async () => {
    const client = await connect(tempRepo({ humans: ["lea"] }), "claude-1");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        "chat_with_human",
        "check_files",
        "claim_task",
        "complete_task",
        "create_task",
        "delegate",
        "fail_task",
        "get_answer",
        "get_messages",
        "get_project_info",
        "leave_team",
        "list_tasks",
        "lock_files",
        "log_decision",
        "release_task",
        "request_approval",
        "send_message",
        "spawn_agent",
        "stop_agent",
        "unlock_files",
        "update_status",
      ].sort(),
    );
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe("object");
      // A host learns from the schema itself that no other argument exists.
      expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
      expect(tool.annotations?.openWorldHint, tool.name).toBe(false);
      expect(typeof tool.annotations?.readOnlyHint, tool.name).toBe("boolean");
      expect(tool.title, tool.name).toBeTruthy();
    }
    const readOnly = tools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name);
    expect(readOnly.sort()).toEqual(["check_files", "get_answer", "get_project_info", "list_tasks"]);
    expect(tools.find((t) => t.name === "lock_files")!.annotations).toMatchObject({ idempotentHint: true });
    expect(tools.find((t) => t.name === "claim_task")!.inputSchema.properties).toHaveProperty("task_id");
  });

  it("refuses unknown argument names and wrong types with a tool error that lists the valid ones, changing nothing", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["task", "add", "first"], { BATON_AGENT: "lead" });
    baton(repo, ["task", "add", "second"], { BATON_AGENT: "lead" });
    const client = await connect(repo, "claude-1");
    const guessed = await call(client, "claim_task", { id: "T-2" });
    expect(guessed.isError).toBe(true);
    expect(guessed.text).toContain(
      "invalid_input: claim_task: unknown argument 'id' (did you mean 'task_id'?)",
    );
    expect(guessed.text).toContain(
      "claim_task takes task_id (string, up to 32 characters), queue (string, up to 64 characters), tags (array of string, up to 20)",
    );
    expect(guessed.error).toMatchObject({
      code: "invalid_input",
      details: { arguments: ["task_id", "queue", "tags"] },
    });
    // Nothing was claimed: the natural guess did not silently take another task.
    expect(
      baton(repo, ["task", "list", "--json"])
        .json()
        .tasks.map((t: { status: string }) => t.status),
    ).toEqual(["open", "open"]);
    const wrongType = await call(client, "create_task", { title: 42 });
    expect(wrongType.text).toContain("argument 'title' must be string, not number");
    expect(wrongType.text).toContain("title (string, up to 200 characters, required)");
    const plural = await call(client, "lock_files", { path: "src/a.ts" });
    expect(plural.text).toContain("unknown argument 'path' (did you mean 'paths'?)");
    expect((await call(client, "lock_files", {})).text).toContain("missing required argument 'paths'");
    expect((await call(client, "list_tasks", { status: ["opened"] })).text).toMatch(
      /argument 'status\.0' must be one of "open"/,
    );
    expect((await call(client, "get_project_info", { verbose: true })).text).toContain(
      "get_project_info takes no arguments",
    );
    // A tool that does not exist is a protocol error (MCP: -32602), naming the tools there are.
    await expect(client.callTool({ name: "claim", arguments: {} })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/there is no tool "claim"; baton's tools are: .*claim_task/),
    });
    expect(baton(repo, ["locks", "--json"]).json().leases).toEqual([]);
    expect(baton(repo, ["task", "list", "--json"]).json().tasks).toHaveLength(2);
  });

  it("tool errors carry their details as structured content, with hints that name tools", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["task", "add", "taken"], { BATON_AGENT: "lead" });
    baton(repo, ["task", "add", "later", "--after", "T-1"], { BATON_AGENT: "lead" });
    baton(repo, ["task", "add", "risky", "--plan-required"], { BATON_AGENT: "lead" });
    baton(repo, ["task", "claim", "T-1"], { BATON_AGENT: "other" });
    const client = await connect(repo, "claude-1");
    const held = await call(client, "claim_task", { task_id: "T-1" });
    expect(held.error).toMatchObject({ code: "conflict", details: { id: "T-1", holder: "other" } });
    expect(held.text).toContain('Details: {"id":"T-1","holder":"other"');
    expectToolWorded(held.error!.hint);
    expect(held.error!.hint).toContain("send_message");
    const waiting = await call(client, "claim_task", { task_id: "T-2" });
    expect(waiting.error).toMatchObject({ code: "not_ready", details: { waitingOn: ["T-1"] } });
    expectToolWorded(waiting.error!.hint);
    expect(waiting.error!.hint).toContain("list_tasks");
    const missing = await call(client, "claim_task", { task_id: "T-99" });
    expect(missing.error!.code).toBe("not_found");
    expectToolWorded(missing.error!.hint);
    expect((await call(client, "claim_task", { task_id: "T-3" })).isError).toBe(false);
    const gated = await call(client, "complete_task", { result: "done" });
    expect(gated.error!.code).toBe("approval_required");
    expectToolWorded(gated.error!.hint);
    expect(gated.error!.hint).toContain("request_approval");
    for (const error of [
      await call(client, "send_message", { to: "*", role: "ghosts", text: "hi" }),
      await call(client, "send_message", { to: "x", text: "hi", reply_to: "M-999" }),
      await call(client, "create_task", { title: "x".repeat(150) }),
      await call(client, "get_answer", { id: "Q-42" }),
      await call(client, "get_answer", { id: "A-42" }),
      await call(client, "unlock_files", { paths: ["nothing/held.ts"] }),
      await call(client, "complete_task", { task_id: "T-3", report_file: "no-such-report.yaml" }),
    ]) {
      if (error.isError) expectToolWorded(error.error!.hint);
    }
  });

  it("started in a connected worktree's subfolder: the worktree's agent, paths from the worktree's root", async () => {
    const { worktrees } = teamRepo(["wt-1"]);
    const tree = worktrees["wt-1"]!;
    expect(baton(tree, ["connect", "claude", "--as", "claude-7"]).code).toBe(0);
    const client = await connect(join(tree, "src", "deep"), "");
    expect((await call(client, "get_project_info")).json()).toMatchObject({ you: "claude-7" });
    const locked = (await call(client, "lock_files", { paths: ["src/a.ts"] })).json();
    expect(locked.granted.map((l: { path: string }) => l.path)).toEqual(["src/a.ts"]);
    expect(baton(tree, ["locks", "--json"]).json().leases).toEqual([
      expect.objectContaining({ path: "src/a.ts", holder: "claude-7" }),
    ]);
    // Without any name, the server refuses to start and says how to give one.
    const plain = tempRepo({ humans: ["lea"] });
    await expect(connect(plain, "")).rejects.toThrow();
  });

  it("holds one claim per session even when a host sends claims at once; nested unknown keys are refused", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    for (let i = 0; i < 6; i++) baton(repo, ["task", "add", `t${i}`], { BATON_AGENT: "lead" });
    const client = await connect(repo, "claude-1");
    const results = await Promise.all(Array.from({ length: 6 }, () => call(client, "claim_task")));
    expect(results.filter((r) => !r.isError)).toHaveLength(1);
    expect(results.filter((r) => r.text.includes("you already hold"))).toHaveLength(5);
    expect(baton(repo, ["task", "list", "--status", "claimed", "--json"]).json().tasks).toHaveLength(1);
    const nested = await call(client, "complete_task", { report: { summary: "s", extra: 1 } });
    expect(nested.text).toContain("unknown key 'extra' in 'report'");
    const finding = await call(client, "complete_task", {
      report: { summary: "s", findings: [{ description: "d", x: 1 }] },
    });
    expect(finding.text).toContain("unknown key 'x' in 'report.findings.0'");
    expect(baton(repo, ["task", "list", "--status", "claimed", "--json"]).json().tasks).toHaveLength(1);
    const role = await call(client, "send_message", { to: "lead", role: "dev", text: "hi" });
    expect(role.error?.code).toBe("invalid_input");
  });

  it("refuses to serve a human, or to make one; ends cleanly when the host closes stdin", () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    const serve = (args: string[], input = "") =>
      spawnSync(process.execPath, [CLI, "mcp", ...args], {
        cwd: repo,
        input,
        encoding: "utf8",
        env: { ...process.env, BATON_AGENT: undefined },
      });
    const asHuman = serve(["--as", "lea", "--kind", "claude"]);
    expect(asHuman.status).not.toBe(0);
    expect(asHuman.stderr).toContain("lea is a human");
    expect(
      baton(repo, ["agents", "--json"])
        .json()
        .agents.find((a: { name: string }) => a.name === "lea").kind,
    ).toBe("human");
    const makeHuman = serve(["--as", "mallory", "--kind", "human"]);
    expect(makeHuman.status).toBe(2);
    expect(
      baton(repo, ["agents", "--json"])
        .json()
        .agents.some((a: { name: string }) => a.name === "mallory"),
    ).toBe(false);
    const eof = serve(["--as", "claude-1", "--kind", "claude"]);
    expect(eof.status).toBe(0);
    expect(eof.stderr).toBe("");
  });

  it("sends progress while a long quality gate runs on complete_task", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({ hooks: [{ on: "task.completed", run: ["sleep", "6"], gate: true, timeout: "30s" }] }),
    );
    baton(repo, ["task", "add", "gated"], { BATON_AGENT: "lead" });
    const client = await connect(repo, "claude-1");
    expect((await call(client, "claim_task")).isError).toBe(false);
    const beats: number[] = [];
    const done = await call(
      client,
      "complete_task",
      { result: "ok" },
      { onprogress: (p: { progress: number }) => beats.push(p.progress) },
    );
    expect(done.json().task.status).toBe("done");
    expect(beats.length).toBeGreaterThan(0);
  });

  it("a new session of an agent that holds a claim takes it up and can finish it", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["task", "add", "long job"], { BATON_AGENT: "lead" });
    const first = await connect(repo, "claude-1");
    expect((await call(first, "claim_task")).json().task.id).toBe("T-1");
    await first.close();
    const second = await connect(repo, "claude-1");
    expect((await call(second, "get_project_info")).json().claim).toMatchObject({
      id: "T-1",
      holder: "claude-1",
    });
    expect((await call(second, "claim_task")).text).toContain("you already hold T-1");
    expect((await call(second, "complete_task", { result: "done after a restart" })).json().task.status).toBe(
      "done",
    );
  });

  it("drives the task and file tools; the server carries the claim token", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    mkdirSync(join(repo, "src"));
    const client = await connect(repo, "claude-1");
    expect((await call(client, "get_project_info")).json()).toMatchObject({ you: "claude-1", claim: null });
    const created = (
      await call(client, "create_task", { title: "Fix login", priority: 1, tags: ["web"] })
    ).json();
    expect(created.task.id).toBe("T-1");
    await call(client, "create_task", { title: "Second" });
    expect((await call(client, "list_tasks", { ready: true })).json().tasks).toHaveLength(2);
    const claimed = (await call(client, "claim_task")).json();
    expect(claimed.task).toMatchObject({ id: "T-1", holder: "claude-1" });
    const second = await call(client, "claim_task");
    expect(second.isError).toBe(true);
    expect(second.text).toContain("conflict: you already hold T-1");
    expect(second.text).toContain("What to do:");
    const locked = (await call(client, "lock_files", { paths: ["src/"], intent: "fix login" })).json();
    expect(locked.granted[0].path).toBe("src/**");
    expect((await call(client, "check_files", { paths: ["src/a.ts"] })).json().files[0].free).toBe(true);
    expect((await call(client, "update_status", { working_on: "T-1 tests" })).isError).toBe(false);
    expect((await call(client, "log_decision", { decision: "use cookies", task_id: "T-1" })).isError).toBe(
      false,
    );
    expect((await call(client, "unlock_files", { paths: ["src/"] })).json().released).toHaveLength(1);
    const done = (
      await call(client, "complete_task", {
        result: "fixed",
        report: { summary: "Fixed it", files_modified: ["src/a.ts"] },
      })
    ).json();
    expect(done.task).toMatchObject({ id: "T-1", status: "done", report: { filesModified: ["src/a.ts"] } });
    expect((await call(client, "claim_task", { task_id: "T-2" })).json().task.id).toBe("T-2");
    expect((await call(client, "fail_task", { reason: "blocked" })).json().task).toMatchObject({
      status: "open",
      attempts: 1,
    });
    expect((await call(client, "claim_task", { task_id: "T-2" })).isError).toBe(false);
    expect((await call(client, "release_task")).json().task.status).toBe("open");
    const agents = baton(repo, ["agents", "--json"]).json().agents;
    expect(agents).toEqual([
      expect.objectContaining({ name: "claude-1", kind: "claude", workingOn: "T-1 tests" }),
    ]);
  });

  it("answers bad arguments and unknown ids with a tool error and a hint, changing nothing", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const client = await connect(repo, "claude-1");
    const unknown = await call(client, "claim_task", { task_id: "T-99" });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/^not_found: no task T-99\nWhat to do: /);
    const outside = await call(client, "lock_files", { paths: ["../../etc/passwd"] });
    expect(outside.text).toContain("outside_workspace");
    const tooBig = await call(client, "send_message", { to: "#x", text: "x".repeat(20_000) });
    expect(tooBig.isError).toBe(true);
    expect(baton(repo, ["task", "list", "--json"]).json().tasks).toEqual([]);
    expect(baton(repo, ["locks", "--json"]).json().leases).toEqual([]);
  });

  it("forgets a claim it lost: lease_lost on completion, then it can claim again", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ claim_ttl: "1s" }));
    baton(repo, ["task", "add", "first"], { BATON_AGENT: "lead" });
    baton(repo, ["task", "add", "second"], { BATON_AGENT: "lead" });
    const client = await connect(repo, "slow-agent");
    expect((await call(client, "claim_task", { task_id: "T-1" })).json().task.id).toBe("T-1");
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(baton(repo, ["task", "claim", "T-1", "--json"], { BATON_AGENT: "rescuer" }).code).toBe(0);
    const lost = await call(client, "complete_task");
    expect(lost.isError).toBe(true);
    expect(lost.text).toMatch(/^lease_lost: /);
    expect((await call(client, "claim_task")).json().task.id).toBe("T-2");
  });

  it("tells the model once, on its next call of any tool, what it lost while another process swept it", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ claim_ttl: "1s" }));
    baton(repo, ["task", "add", "first"], { BATON_AGENT: "lead" });
    const client = await connect(repo, "slow-agent");
    expect((await call(client, "claim_task", { task_id: "T-1" })).json().task.id).toBe("T-1");
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // Another process looks first and sweeps the expired claim.
    expect(baton(repo, ["task", "list"], { BATON_AGENT: "lead" }).code).toBe(0);
    const next = (await client.callTool({ name: "list_tasks", arguments: {} })) as ToolAnswer;
    expect(next.isError).not.toBe(true);
    expect(next.content).toHaveLength(2);
    expect(next.content[1]!.text).toMatch(/^lease_lost: since your last call, you lost/);
    expect(next.content[1]!.text).toContain("your claim on T-1");
    expect(next.content[1]!.text).toContain("expired");
    expectToolWorded(next.content[1]!.text);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the one-second beat throttle
    const after = (await client.callTool({ name: "list_tasks", arguments: {} })) as ToolAnswer;
    expect(after.content).toHaveLength(1);
    const complete = await call(client, "complete_task");
    expect(complete.text).toMatch(/^lease_lost: lost your claim on T-1/);
  });

  it("update_status answers with what was lost, once", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    baton(repo, ["task", "add", "first"], { BATON_AGENT: "lea" });
    const client = await connect(repo, "worker");
    await call(client, "claim_task", { task_id: "T-1" });
    baton(repo, ["task", "cancel", "T-1", "--reason", "dropped", "--yes"], { BATON_AGENT: "lea" });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const status = await call(client, "update_status", { working_on: "T-1" });
    expect(status.json().lost).toMatchObject([
      { kind: "task", subject: "T-1", reason: "cancelled", by: "lea" },
    ]);
  });

  it("two sessions race for one claim and exactly one wins", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["task", "add", "only one"], { BATON_AGENT: "lead" });
    const [a, b] = await Promise.all([connect(repo, "agent-a"), connect(repo, "agent-b")]);
    const results = await Promise.all([
      call(a, "claim_task", { task_id: "T-1" }),
      call(b, "claim_task", { task_id: "T-1" }),
    ]);
    expect(results.filter((r) => !r.isError)).toHaveLength(1);
    expect(results.filter((r) => r.isError && r.text.startsWith("conflict:"))).toHaveLength(1);
  });

  it("messages between sessions, and chat_with_human answered with `baton answer` from the CLI", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    const [a, b] = await Promise.all([connect(repo, "agent-a"), connect(repo, "agent-b")]);
    expect((await call(a, "send_message", { to: "agent-b", text: "schema is ready" })).isError).toBe(false);
    const got = (await call(b, "get_messages", { wait_seconds: 5 })).json();
    expect(got.messages.map((m: { body: string }) => m.body)).toEqual(["schema is ready"]);
    const asking = call(a, "chat_with_human", {
      question: "REST or GraphQL?",
      options: ["rest", "graphql"],
      wait_seconds: 30,
    });
    for (
      let i = 0;
      i < 200 && baton(repo, ["questions", "--open", "--json"]).json().questions.length === 0;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(baton(repo, ["answer", "Q-1", "2", "--yes"], { BATON_AGENT: "lea" }).code).toBe(0);
    expect((await asking).json()).toMatchObject({ status: "answered", answer: "graphql" });
  });

  it("a wait cut short returns pending with progress, and get_answer resumes it", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    const client = await connect(repo, "claude-1", ["--max-wait", "6s"]);
    const progress: number[] = [];
    const pending = (
      await call(
        client,
        "chat_with_human",
        { question: "Ship it?" },
        { onprogress: (p: { progress: number }) => progress.push(p.progress) },
      )
    ).json();
    expect(pending).toMatchObject({ status: "pending", question: { id: "Q-1", status: "open" } });
    expect(pending.hint).toContain("get_answer");
    expect(progress.length).toBeGreaterThan(0);
    baton(repo, ["answer", "Q-1", "yes", "--yes"], { BATON_AGENT: "lea" });
    expect((await call(client, "get_answer", { id: "Q-1" })).json()).toMatchObject({
      status: "answered",
      answer: "yes",
    });
    const approval = (await call(client, "request_approval", { action: "deploy", wait_seconds: 0 })).json();
    expect(approval).toMatchObject({ status: "pending", approval: { id: "A-1" } });
    baton(repo, ["approve", "A-1", "--note", "go", "--yes"], { BATON_AGENT: "lea" });
    expect((await call(client, "get_answer", { id: "A-1" })).json()).toMatchObject({
      status: "approved",
      note: "go",
    });
  });
});
