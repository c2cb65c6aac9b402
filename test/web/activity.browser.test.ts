import { describe, expect, it } from "vitest";
import { baton } from "../helpers/temp-repo.js";
import { DESKTOP, pairedPage, screenshot, seriousViolations, serve } from "./kit.js";

function cli(repo: string, args: string[]): void {
  const run = baton(repo, args);
  expect(run.code, `baton ${args.join(" ")}: ${run.stderr}${run.stdout}`).toBe(0);
}

describe("the web app: the activity log, in a real chromium", () => {
  it("shows a new event at the top without reload, filters by agent, and links tasks and agents", async () => {
    const served = await serve();
    cli(served.repo, ["agent", "join", "claude-1"]);
    cli(served.repo, ["agent", "join", "codex-2"]);
    cli(served.repo, ["task", "add", "Write the release notes", "--as", "codex-2"]);
    const { page } = await pairedPage(served);
    await page.getByRole("link", { name: "Activity" }).click();
    await page.getByRole("heading", { name: "Activity", level: 1 }).waitFor();
    const rows = page.locator("ol.events > li");
    await rows.filter({ hasText: "Write the release notes" }).waitFor();

    // Live: the newest event comes in at the top.
    cli(served.repo, ["task", "add", "Ship the login page", "--as", "claude-1"]);
    await rows.first().filter({ hasText: "Ship the login page" }).waitFor();
    const task = rows.first().getByRole("link", { name: /^T-\d+$/ });
    expect(await task.getAttribute("href")).toMatch(/^\/board\/T-\d+$/);
    expect(await rows.first().getByRole("link", { name: "claude-1" }).getAttribute("href")).toBe(
      "/agents/claude-1",
    );
    await screenshot(page, "activity-phone");
    expect(await seriousViolations(page)).toEqual([]);

    // Filtered by agent: only claude-1's events, old and new, and the URL keeps the filter.
    await page.getByLabel("Agent", { exact: true }).selectOption("claude-1");
    await expect.poll(() => new URL(page.url()).search).toBe("?agent=claude-1");
    await rows.filter({ hasText: "Ship the login page" }).waitFor();
    await rows.filter({ hasText: "Write the release notes" }).waitFor({ state: "detached" });
    cli(served.repo, ["task", "add", "Not shown: codex's task", "--as", "codex-2"]);
    cli(served.repo, ["task", "add", "Review the notes", "--as", "claude-1"]);
    await rows.first().filter({ hasText: "Review the notes" }).waitFor();
    expect(await rows.filter({ hasText: "Not shown" }).count()).toBe(0);
    expect(await rows.locator(".actor").allTextContents()).toEqual(
      Array((await rows.count()) as number).fill("claude-1"),
    );
    await page.getByLabel("Type", { exact: true }).selectOption("task.");
    await expect.poll(() => new URL(page.url()).search).toBe("?agent=claude-1&type=task.");
    await expect.poll(() => rows.count()).toBe(2);
  }, 60_000);

  it("pages back through a long log on a desktop", async () => {
    const served = await serve();
    cli(served.repo, ["agent", "join", "claude-1"]);
    const { page } = await pairedPage(served, DESKTOP);
    // More than one page (50) of decisions, recorded by the human through the API from the paired page.
    const written = await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch("/api/v1/session")).json()) as { csrfToken: string };
      const headers = { "content-type": "application/json", "x-csrf-token": csrfToken };
      for (let i = 1; i <= 55; i++) {
        const body = JSON.stringify({ type: "decision", summary: `Decision number ${i}` });
        if (!(await fetch("/api/v1/events", { method: "POST", headers, body })).ok) return i;
      }
      return 55;
    });
    expect(written).toBe(55);
    await page.goto(`${served.base}/activity?type=decision`);
    const rows = page.locator("ol.events > li");
    await rows.first().filter({ hasText: "Decision number 55" }).waitFor();
    expect(await rows.count()).toBe(50);
    await screenshot(page, "activity-desktop");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Show older events" }).click();
    await rows.last().filter({ hasText: "Decision number 1" }).waitFor();
    expect(await rows.count()).toBe(55);
    const seqs = await rows
      .locator("article")
      .evaluateAll((all) => all.map((a) => Number(a.getAttribute("data-seq"))));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    await page.getByRole("button", { name: "Show older events" }).waitFor({ state: "detached" });
  }, 60_000);
});
