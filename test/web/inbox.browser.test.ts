import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { connectMcp } from "../helpers/mcp-client.js";
import { baton, batonInBackground, tempRepo } from "../helpers/temp-repo.js";
import { startClaudeWork } from "../hosts/claude/work-run.js";
import { finishWork, whileWorking } from "../hosts/kit.js";
import { DESKTOP, pairedPage, screenshot, serve } from "./kit.js";

/**
 * The inbox as a person uses it from a phone: what waits for them appears
 * without a reload, one tap settles it and the waiting agent goes on at once;
 * what nobody waits for any more shows as expired and cannot be acted on.
 */

const as = (repo: string, agent: string, ...args: string[]) => {
  const result = baton(repo, [...args, "--as", agent]);
  expect(result.code, result.stderr).toBe(0);
  return result;
};

describe("the inbox in a real chromium", () => {
  it("an approval requested over MCP is approved in the page, and the agent's call returns approved", async () => {
    const served = await serve();
    const { page } = await pairedPage(served);
    const client = await connectMcp(served.repo, "claude-1");
    const call = client.callTool({
      name: "request_approval",
      arguments: {
        action: "drop the legacy users table",
        plan: "1. back up\n2. DROP TABLE users_old",
        wait_seconds: 60,
      },
    });
    const card = page.locator("article.approval", { hasText: "drop the legacy users table" });
    await card.waitFor();
    expect(await card.locator("pre.plan").textContent()).toContain("DROP TABLE users_old");
    await card.getByRole("button", { name: "Approve" }).click();
    const result = (await call) as { structuredContent?: { status: string }; content: { text: string }[] };
    expect(JSON.parse(result.content[0]!.text)).toMatchObject({ status: "approved" });
    await card.waitFor({ state: "detached" });
    const decided = baton(served.repo, ["approvals", "--json"]).json().approvals[0];
    expect(decided).toMatchObject({ status: "approved", decidedBy: "lea" });
  });

  it("a rejection needs a note, and the agent reads it", async () => {
    const served = await serve();
    const { page } = await pairedPage(served);
    as(served.repo, "claude-1", "agent", "join", "claude-1");
    const asking = batonInBackground(served.repo, [
      "approval",
      "request",
      "force-push main",
      "--wait",
      "60s",
      "--as",
      "claude-1",
      "--json",
    ]);
    const card = page.locator("article.approval", { hasText: "force-push main" });
    await card.getByRole("button", { name: "Reject" }).click();
    await card.getByRole("alert").filter({ hasText: "Say why" }).waitFor();
    await card.getByRole("textbox").fill("history is shared");
    await card.getByRole("button", { name: "Reject" }).click();
    const done = await asking.done;
    expect(done.code).toBe(3);
    expect(done.json().approval).toMatchObject({ status: "rejected", note: "history is shared" });
  });

  it("a question whose task is cancelled expires: its card says why, offers nothing to press, and the CLI's wait ends", async () => {
    const served = await serve();
    const { page } = await pairedPage(served);
    as(served.repo, "claude-1", "agent", "join", "claude-1");
    as(served.repo, "claude-1", "task", "add", "Migrate the sessions table");
    as(served.repo, "claude-1", "task", "claim");
    const asking = batonInBackground(served.repo, [
      "ask",
      "Keep the old column?",
      "--options",
      "keep,drop",
      "--task",
      "T-1",
      "--wait",
      "60s",
      "--as",
      "claude-1",
      "--json",
    ]);
    const card = page.locator("article.question", { hasText: "Keep the old column?" });
    await card.getByRole("button", { name: "keep" }).waitFor();
    expect(await card.locator("a.task").textContent()).toContain("Migrate the sessions table");
    as(served.repo, "lea", "task", "cancel", "T-1", "--reason", "not needed", "--yes");
    const expired = page.locator("article.question.expired", { hasText: "Keep the old column?" });
    await expired.waitFor();
    expect(await expired.textContent()).toContain("T-1 was cancelled: not needed");
    expect(await expired.getByRole("button").count()).toBe(0);
    const done = await asking.done;
    expect(done.code).toBe(3);
    expect(done.json().question).toMatchObject({
      status: "expired",
      note: "T-1 was cancelled: not needed",
    });
    const late = baton(served.repo, ["answer", "Q-1", "keep", "--as", "lea", "--json"]);
    expect(late.code).not.toBe(0);
    expect(late.json().error.message).toBe("Q-1 has expired: T-1 was cancelled: not needed");
  });

  it("an expired approval cannot be approved from a page that had not heard: the hub refuses and the card turns expired", async () => {
    const served = await serve();
    const { page } = await pairedPage(served);
    as(served.repo, "claude-1", "agent", "join", "claude-1");
    as(served.repo, "claude-1", "task", "add", "Rotate the keys");
    as(served.repo, "claude-1", "task", "claim");
    as(served.repo, "claude-1", "approval", "request", "rotate the production keys", "--task", "T-1");
    const card = page.locator("article.approval", { hasText: "rotate the production keys" });
    await card.waitFor();
    // The page stops hearing the hub (a phone on a train): it still shows the approval as open.
    await page.route("**/api/v1/events**", (route) => route.abort());
    await page.route("**/api/v1/inbox", (route) => route.abort());
    as(served.repo, "claude-1", "task", "done", "T-1", "--result", "rotated by hand");
    await card.getByRole("button", { name: "Approve" }).click();
    await card.getByRole("alert").filter({ hasText: "A-1 has expired: T-1 is done" }).waitFor();
    await page.unroute("**/api/v1/inbox");
    await page.unroute("**/api/v1/events**");
    await page.locator("article.approval.expired", { hasText: "rotate the production keys" }).waitFor();
    expect(baton(served.repo, ["approval", "show", "A-1", "--json"]).json().approval).toMatchObject({
      status: "expired",
      decidedBy: "claude-1",
    });
  });

  it("a revoked device is refused at its next request and shown how to pair again", async () => {
    const served = await serve();
    const { page } = await pairedPage(served);
    const devices = baton(served.repo, ["devices", "--json", "--as", "lea"]).json().devices;
    expect(devices).toHaveLength(1);
    as(served.repo, "lea", "devices", "revoke", devices[0].id);
    as(served.repo, "claude-1", "ask", "Still there?");
    await page.getByRole("heading", { name: "This device is not paired" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "This device is not paired" }).waitFor();
  });

  it("the inbox at 360x740 and 1280x800, with each kind of item", async () => {
    const served = await serve(tempRepo({ humans: ["lea"] }));
    as(served.repo, "claude-1", "agent", "join", "claude-1");
    as(served.repo, "codex-2", "agent", "join", "codex-2");
    as(served.repo, "claude-1", "task", "add", "Add rate limiting to the login endpoint");
    as(served.repo, "claude-1", "task", "claim");
    as(
      served.repo,
      "claude-1",
      "ask",
      "Limit per IP or per account?",
      "--options",
      "per IP,per account,both",
      "--task",
      "T-1",
    );
    writeFileSync(join(served.repo, "plan.md"), "1. snapshot staging\n2. npm run migrate -- --env staging\n");
    as(
      served.repo,
      "codex-2",
      "approval",
      "request",
      "Run the database migration on staging",
      "--plan",
      "plan.md",
    );
    as(served.repo, "claude-1", "task", "escalate", "T-1", "--reason", "the Redis in CI is down");
    as(served.repo, "codex-2", "send", "lea", "the build is red on main", "--urgent");
    const phone = await pairedPage(served);
    await phone.page.locator("article.message").waitFor();
    await screenshot(phone.page, "inbox-phone");
    const desktop = await pairedPage(served, DESKTOP);
    await desktop.page.locator("article.message").waitFor();
    await screenshot(desktop.page, "inbox-desktop");
    const kinds = await phone.page.locator("article.item").evaluateAll((els) => els.map((e) => e.className));
    // Urgent first (the escalation, the urgent message), then oldest first.
    expect(kinds.map((k) => k.split(" ")[1])).toEqual(["escalation", "message", "question", "approval"]);
  });
});

describe("a permission prompt of an orchestrated Claude Code, approved from the page", () => {
  const FILE = "made-by-bash";
  it("lets its tool run", async () => {
    const run = await startClaudeWork(
      [
        [{ tool: "Bash", args: { command: `touch ${FILE}`, description: "make a file" } }],
        [{ text: "Done." }],
      ],
      {},
    );
    const served = await serve(run.repo);
    const { page } = await pairedPage(served);
    await whileWorking(
      run,
      "a permission request",
      () => baton(run.repo, ["approvals", "--open", "--json"]).json().approvals[0],
    );
    const card = page.locator("article.approval", { hasText: `touch ${FILE}` });
    await card.waitFor();
    expect(await card.locator(".tool").textContent()).toBe(`Bash touch ${FILE}`);
    await screenshot(page, "inbox-permission-phone");
    await card.getByRole("button", { name: "Approve" }).click();
    const result = await finishWork(run);
    expect(result.code, result.stderr).toBe(0);
    expect(run.fake.toolResults().filter((r) => r.toolName === "Bash")).toEqual([
      expect.objectContaining({ isError: false }),
    ]);
    expect(existsSync(join(run.repo, FILE))).toBe(true);
  });
});
