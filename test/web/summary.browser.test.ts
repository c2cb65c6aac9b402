import { describe, expect, it } from "vitest";
import { baton } from "../helpers/temp-repo.js";
import { DESKTOP, PHONE, pairedPage, screenshot, seriousViolations, serve } from "./kit.js";

function cli(repo: string, args: string[]): void {
  const run = baton(repo, args);
  expect(run.code, `baton ${args.join(" ")}: ${run.stderr}${run.stdout}`).toBe(0);
}

describe("the web app: the daily summary, in a real chromium", () => {
  it("shows the day's entries as they are written and the report once baton summary collects it, rendered as text", async () => {
    const served = await serve();
    cli(served.repo, ["agent", "join", "claude-1"]);
    cli(served.repo, ["agent", "join", "codex-2"]);
    const { page } = await pairedPage(served, DESKTOP);
    await page.getByRole("link", { name: "Summary" }).click();
    await page.getByRole("heading", { name: "Summary", level: 1 }).waitFor();
    await page.getByText(/No summary for \d{4}-\d{2}-\d{2} yet/).waitFor();

    cli(served.repo, ["summary", "trigger", "--as", "claude-1"]);
    await page.getByText("No one has written an entry yet.").waitFor();
    cli(served.repo, [
      "summary",
      "write",
      "Shipped T-1 with **tests**.\n- the login page\n- <img src=x onerror=alert(1)> stays text",
      "--as",
      "claude-1",
    ]);
    const entry = page.getByRole("article", { name: /claude-1/ });
    await entry.getByRole("listitem").filter({ hasText: "the login page" }).waitFor();
    expect(await entry.getByRole("link", { name: "T-1" }).getAttribute("href")).toBe("/board/T-1");
    expect(await entry.locator("strong").textContent()).toBe("tests");
    await entry.getByText("<img src=x onerror=alert(1)> stays text").waitFor();
    expect(await page.locator(".markdown img").count()).toBe(0);
    await page.getByText(/Still to write: .*codex-2/).waitFor();

    cli(served.repo, ["summary", "write", "Reviewed T-1; `npm test` is green", "--as", "codex-2"]);
    cli(served.repo, ["summary", "collect", "--as", "claude-1"]);
    const report = page.getByRole("article", { name: /^Report for/ });
    await report.getByRole("heading", { name: /^Daily summary — / }).waitFor();
    await report.getByRole("heading", { name: "From the team" }).waitFor();
    await report.getByRole("heading", { name: "codex-2" }).waitFor();
    expect(await report.locator("code").first().textContent()).toBe("npm test");
    await screenshot(page, "summary-desktop");
    expect(await seriousViolations(page)).toEqual([]);

    await page.setViewportSize(PHONE);
    await screenshot(page, "summary-phone");
    expect(await seriousViolations(page)).toEqual([]);
  });
});
