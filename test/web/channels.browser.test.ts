import { describe, expect, it } from "vitest";
import { baton } from "../helpers/temp-repo.js";
import { DESKTOP, pairedPage, screenshot, seriousViolations, serve } from "./kit.js";

/** Runs baton in the served repository and returns its JSON answer. */
function cli(repo: string, args: string[]): Record<string, unknown> {
  const run = baton(repo, [...args, "--json"]);
  expect(run.code, `baton ${args.join(" ")}: ${run.stderr}${run.stdout}`).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

const bodies = (answer: Record<string, unknown>) =>
  (answer.messages as { body: string; sender: string }[]).map((m) => `${m.sender}: ${m.body}`);

describe("the web app: channels and direct messages, in a real chromium", () => {
  it("shows a channel post and a direct message an agent sends with the CLI without reload, and the human's replies reach the agent", async () => {
    const served = await serve();
    const { page } = await pairedPage(served);
    cli(served.repo, ["agent", "join", "claude-1"]);
    cli(served.repo, ["channel", "add", "#dev", "--topic", "the build", "--as", "claude-1"]);
    cli(served.repo, ["post", "#dev", "Build is green on main", "--as", "claude-1"]);

    await page.getByRole("link", { name: "Channels" }).click();
    await page.getByRole("heading", { name: "Channels", level: 1 }).waitFor();
    const dev = page.getByRole("link", { name: /#dev/ });
    await dev.filter({ hasText: "1 unread" }).waitFor();
    await dev.click();
    await page.getByRole("heading", { name: "#dev", level: 1 }).waitFor();
    await page.getByText("Build is green on main").waitFor();

    // Live: a post made while the page is open appears in it.
    cli(served.repo, ["post", "#dev", "Deploying T-4 now", "--as", "claude-1", "--urgent"]);
    await page.locator("article.msg.urgent", { hasText: "Deploying T-4 now" }).waitFor();

    await page.getByLabel("Message #dev").fill("Thanks, go ahead");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("article.msg.mine", { hasText: "Thanks, go ahead" }).waitFor();
    expect(bodies(cli(served.repo, ["read", "#dev", "--as", "claude-1"]))).toContain("lea: Thanks, go ahead");
    await screenshot(page, "channels-phone");
    expect(await seriousViolations(page)).toEqual([]);

    // A thread: the human replies to the agent's first post.
    await page
      .locator("article.msg", { hasText: "Build is green on main" })
      .getByRole("link", { name: /^Reply to M-/ })
      .click();
    await page.getByRole("heading", { name: /^Thread M-/ }).waitFor();
    await page.getByLabel(/Reply to claude-1/).fill("Which commit?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("article.msg.mine", { hasText: "Which commit?" }).waitFor();
    const root = new URL(page.url()).pathname.split("/").at(-1)!;
    expect(bodies(cli(served.repo, ["thread", root]))).toEqual([
      "claude-1: Build is green on main",
      "lea: Which commit?",
    ]);
    await screenshot(page, "channels-thread-phone");
    expect(await seriousViolations(page)).toEqual([]);

    // A direct message: unread in the list, read when the human opens it, answered from the page.
    await page.getByRole("link", { name: "#dev", exact: true }).click();
    await page.getByRole("link", { name: "All conversations" }).click();
    cli(served.repo, ["send", "lea", "Can you review T-4?", "--as", "claude-1"]);
    const direct = page.getByRole("link", { name: /^claude-1/ });
    await direct.filter({ hasText: "1 unread" }).waitFor();
    await screenshot(page, "channels-list-phone");
    expect(await seriousViolations(page)).toEqual([]);
    await direct.click();
    await page.getByText("Can you review T-4?").waitFor();
    await page.getByLabel("Message claude-1").fill("Looking now");
    await page.getByLabel("Urgent").check();
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("article.msg.mine.urgent", { hasText: "Looking now" }).waitFor();
    const inbox = cli(served.repo, ["inbox", "--as", "claude-1"]);
    expect(inbox.messages).toEqual(
      expect.arrayContaining([expect.objectContaining({ sender: "lea", body: "Looking now", urgent: true })]),
    );
    // Opening the conversation read it: nothing from claude-1 is left unread for lea.
    await expect
      .poll(async () => cli(served.repo, ["inbox", "--as", "lea"]).messages as unknown[])
      .toEqual([]);
  });

  it("lays out the list beside the conversation on a desktop, adds a channel and broadcasts", async () => {
    const served = await serve();
    const { page } = await pairedPage(served, DESKTOP);
    cli(served.repo, ["agent", "join", "claude-1"]);
    cli(served.repo, ["agent", "join", "codex-2"]);
    await page.goto(`${served.base}/channels`);
    await page.getByRole("button", { name: "Add a channel" }).click();
    await page.getByLabel("Channel name").fill("release");
    await page.getByLabel("Topic (optional)").fill("shipping v2.1");
    await page.getByRole("button", { name: "Add" }).click();
    await page.getByRole("heading", { name: "#release", level: 1 }).waitFor();
    expect(
      (cli(served.repo, ["channel", "list"]).channels as { name: string }[]).map((c) => c.name),
    ).toContain("release");
    cli(served.repo, ["post", "#release", "v2.1 is tagged; notes are in CHANGELOG.md", "--as", "codex-2"]);
    await page.getByText("v2.1 is tagged").waitFor();
    await page.getByRole("link", { name: /Broadcasts/ }).click();
    await page.getByLabel("Broadcast to every agent").fill("Freeze main until v2.1 ships");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText("Freeze main until v2.1 ships").waitFor();
    expect(bodies(cli(served.repo, ["inbox", "--as", "codex-2"]))).toContain(
      "lea: Freeze main until v2.1 ships",
    );
    await page.getByRole("link", { name: /#release/ }).click();
    await page.getByText("v2.1 is tagged").waitFor();
    await screenshot(page, "channels-desktop");
    expect(await seriousViolations(page)).toEqual([]);
  });
});
