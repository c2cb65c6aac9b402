import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { wakeDirFor } from "../src/notify/socket-notifier.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { baton, CLI, tempRepo } from "./helpers/temp-repo.js";

const as = (name: string) => ({ BATON_AGENT: name });

/** Starts `baton inbox --wait` in the background; resolves with its parsed JSON and exit code. */
function waitForInbox(repo: string, agent: string, wait = "20s") {
  const child = spawn(process.execPath, [CLI, "inbox", "--wait", wait, "--ack", "--json"], {
    cwd: repo,
    env: { ...process.env, BATON_AGENT: agent, NO_COLOR: "1" },
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  return new Promise<{ code: number | null; body: { messages: { body: string; to: string }[] } }>(
    (resolve) => {
      child.on("close", (code) => resolve({ code, body: JSON.parse(stdout || "{}") }));
    },
  );
}

/** Resolves once `count` waiters have their sockets in the store's wake folder. */
async function waitersListening(repo: string, count: number): Promise<void> {
  const dir = wakeDirFor(`sqlite:${join(repo, ".baton", "baton.db")}`);
  for (let i = 0; i < 400; i++) {
    if (existsSync(dir) && readdirSync(dir).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${count} waiters never started listening`);
}

describe("messages end to end", () => {
  it("keeps a message for an agent that has not joined, and delivers it once it does", () => {
    const repo = tempRepo();
    expect(baton(repo, ["send", "carol", "welcome aboard", "--json"], as("lead")).code).toBe(4);
    expect(baton(repo, ["send", "carol", "welcome aboard", "--new"], as("lead")).code).toBe(0);
    baton(repo, ["agent", "join", "carol"]);
    const inbox = baton(repo, ["inbox", "--ack", "--json"], as("carol")).json();
    expect(inbox.messages.map((m: { body: string }) => m.body)).toEqual(["welcome aboard"]);
  });

  it("two agents waiting on inbox --wait each get their own message", async () => {
    const repo = tempRepo();
    baton(repo, ["agent", "join", "bob"]);
    baton(repo, ["agent", "join", "carol"]);
    const bob = waitForInbox(repo, "bob");
    const carol = waitForInbox(repo, "carol");
    await waitersListening(repo, 2);
    baton(repo, ["send", "carol", "for carol"], as("lead"));
    baton(repo, ["send", "bob", "for bob"], as("lead"));
    const [b, c] = await Promise.all([bob, carol]);
    expect(b.code).toBe(0);
    expect(c.code).toBe(0);
    expect(b.body.messages.map((m) => m.body)).toEqual(["for bob"]);
    expect(c.body.messages.map((m) => m.body)).toEqual(["for carol"]);
    expect(baton(repo, ["inbox", "--json"], as("bob")).json().messages).toEqual([]); // acknowledged
  });

  it("a waiter still gets a message whose wake-up was lost, through its re-check", async () => {
    const repo = tempRepo();
    baton(repo, ["agent", "join", "bob"]);
    const bob = waitForInbox(repo, "bob");
    await waitersListening(repo, 1);
    // Written straight through the store: committed, but nobody is poked.
    const store = new SqliteStore({ path: join(repo, ".baton", "baton.db") });
    await store.sendMessage({ actor: "lead", kind: "direct", to: "bob", body: "no poke" });
    await store.close();
    const result = await bob;
    expect(result.code).toBe(0);
    expect(result.body.messages.map((m) => m.body)).toEqual(["no poke"]);
  });

  it("a wait that sees nothing exits 5 and leaves no socket behind", () => {
    const repo = tempRepo();
    const result = baton(repo, ["inbox", "--wait", "200ms", "--json"], as("bob"));
    expect(result.code).toBe(5);
    expect(result.json()).toMatchObject({ messages: [], unread: 0 });
    const dir = wakeDirFor(`sqlite:${join(repo, ".baton", "baton.db")}`);
    // When the suite runs through a hub (BATON_TEST_HUB=1), hub.sock and the hub's own wake-up
    // socket (it follows the log for Web Push: `<store>.<pid>.<n>.sock`) are the hub's, not the wait's.
    const hubPid = existsSync(join(repo, ".baton", "hub.json"))
      ? JSON.parse(readFileSync(join(repo, ".baton", "hub.json"), "utf8")).pid
      : undefined;
    const left = existsSync(dir) ? readdirSync(dir) : [];
    expect(left.filter((name) => name !== "hub.sock" && !name.includes(`.${hubPid}.`))).toEqual([]);
  });

  it("refuses empty and oversized messages, and unknown channels, changing nothing", () => {
    const repo = tempRepo();
    baton(repo, ["agent", "join", "bob"]);
    expect(baton(repo, ["send", "bob", "   "], as("a")).code).toBe(2);
    const oversized = baton(repo, ["send", "bob", "x".repeat(17 * 1024), "--json"], as("a"));
    expect(oversized.code).toBe(2);
    expect(oversized.json().error.message).toContain("limit is 16384");
    expect(baton(repo, ["post", "#nowhere", "hi", "--json"], as("a")).json().error).toMatchObject({
      code: "not_found",
    });
    expect(baton(repo, ["post", "not a channel!", "hi"], as("a")).code).toBe(2);
    expect(baton(repo, ["inbox", "--json"], as("bob")).json().messages).toEqual([]);
    expect(baton(repo, ["log", "--type", "message.sent", "--json"]).json().events).toEqual([]);
  });

  it("channels, threads, broadcasts to a role and urgent flags from the CLI", () => {
    const repo = tempRepo();
    baton(repo, ["agent", "join", "ana", "--role", "dev"]);
    baton(repo, ["agent", "join", "ben", "--role", "dev"]);
    baton(repo, ["agent", "join", "rev", "--role", "reviewer"]);
    expect(baton(repo, ["channel", "add", "#backend", "--topic", "API"], as("ana")).code).toBe(0);
    const post = baton(repo, ["post", "#backend", "schema merged", "--json"], as("ana")).json();
    baton(repo, ["post", "backend", "looks good", "--reply-to", post.message.id, "--urgent"], as("ben"));
    const read = baton(repo, ["read", "#backend", "--json"], as("rev")).json();
    expect(read.messages.map((m: { body: string; urgent: boolean }) => [m.body, m.urgent])).toEqual([
      ["schema merged", false],
      ["looks good", true],
    ]);
    expect(baton(repo, ["thread", post.message.id, "--json"]).json().messages).toHaveLength(2);
    const broadcast = baton(
      repo,
      ["broadcast", "dev sync at 3", "--role", "dev", "--json"],
      as("rev"),
    ).json();
    expect(broadcast.recipients).toEqual(["ana", "ben"]);
    expect(baton(repo, ["channel", "list", "--json"]).json().channels).toMatchObject([
      { name: "backend", messages: 2 },
    ]);
  });
});
