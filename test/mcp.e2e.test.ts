import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterEach, describe, expect, it } from "vitest";
import { baton, CLI, tempRepo } from "./helpers/temp-repo.js";

const clients: Client[] = [];
afterEach(async () => {
  while (clients.length) await clients.pop()!.close();
});

/** The official MCP client starts `baton mcp` as a child process, as a host would. */
async function connect(repo: string, agent: string, extraArgs: string[] = []): Promise<Client> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  delete env.BATON_AGENT;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "mcp", "--as", agent, "--kind", "claude", ...extraArgs],
    cwd: repo,
    env,
    stderr: "pipe",
  });
  const client = new Client({ name: "baton-test", version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return client;
}

type ToolAnswer = { isError?: boolean; content: { type: string; text: string }[] };

async function call(client: Client, name: string, args: Record<string, unknown> = {}, options = {}) {
  const result = (await client.callTool({ name, arguments: args }, undefined, options)) as ToolAnswer;
  const text = result.content[0]!.text;
  return { isError: result.isError === true, text, json: () => JSON.parse(text) };
}

describe("baton mcp with the official MCP client", () => {
  it("lists every tool with a description and a schema", async () => {
    const client = await connect(tempRepo(), "claude-1");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        "chat_with_human",
        "check_files",
        "claim_task",
        "complete_task",
        "create_task",
        "fail_task",
        "get_answer",
        "get_messages",
        "get_project_info",
        "list_tasks",
        "lock_files",
        "log_decision",
        "release_task",
        "request_approval",
        "send_message",
        "unlock_files",
        "update_status",
      ].sort(),
    );
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe("object");
    }
  });

  it("drives the task and file tools; the server carries the claim token", async () => {
    const repo = tempRepo();
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
    const repo = tempRepo();
    const client = await connect(repo, "claude-1");
    const wrongType = await call(client, "create_task", { title: 42 });
    expect(wrongType.isError).toBe(true);
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
    const repo = tempRepo();
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

  it("two sessions race for one claim and exactly one wins", async () => {
    const repo = tempRepo();
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
    const repo = tempRepo();
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
    expect(baton(repo, ["answer", "Q-1", "2"], { BATON_AGENT: "lea" }).code).toBe(0);
    expect((await asking).json()).toMatchObject({ status: "answered", answer: "graphql" });
  });

  it("a wait cut short returns pending with progress, and get_answer resumes it", async () => {
    const repo = tempRepo();
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
    baton(repo, ["answer", "Q-1", "yes"], { BATON_AGENT: "lea" });
    expect((await call(client, "get_answer", { id: "Q-1" })).json()).toMatchObject({
      status: "answered",
      answer: "yes",
    });
    const approval = (await call(client, "request_approval", { action: "deploy", wait_seconds: 0 })).json();
    expect(approval).toMatchObject({ status: "pending", approval: { id: "A-1" } });
    baton(repo, ["approve", "A-1", "--note", "go"], { BATON_AGENT: "lea" });
    expect((await call(client, "get_answer", { id: "A-1" })).json()).toMatchObject({
      status: "approved",
      note: "go",
    });
  });
});
