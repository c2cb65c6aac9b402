import { describe, expect, it } from "vitest";
import { baton } from "../helpers/temp-repo.js";
import { agentWorktree } from "../orchestrator/helpers.js";
import { DESKTOP, PHONE, pairedPage, screenshot, serve } from "./kit.js";

const as = (name: string) => ({ BATON_AGENT: name });

function succeeds(repo: string, args: string[], agent = "lea") {
  const result = baton(repo, args, as(agent));
  expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result;
}

describe("the web app: the board, in a real chromium", () => {
  it("a task created on the board is in baton task list; one added by the CLI appears without reload; filters narrow the list and stay in the URL", async () => {
    const served = await serve();
    const { page } = await pairedPage(served, DESKTOP);
    await page.getByRole("link", { name: "Board" }).click();
    await page.getByRole("heading", { name: "Board" }).waitFor();

    await page.getByText("New task").click();
    await page.getByLabel("Title").fill("Write the login page");
    await page.getByLabel("Description").fill("Email and password, with a reset link.");
    await page.getByLabel("Priority").selectOption({ label: "P1 high" });
    await page.getByLabel("Tags").fill("ui, web");
    await page.getByRole("button", { name: "Add task" }).click();
    await page.getByRole("status").filter({ hasText: "Added T-1" }).waitFor();
    const listed = succeeds(served.repo, ["task", "list", "--json"]).json().tasks;
    expect(listed).toEqual([
      expect.objectContaining({ id: "T-1", title: "Write the login page", priority: 1, tags: ["ui", "web"] }),
    ]);

    // Added from the CLI while the board is open: it appears without a reload.
    succeeds(served.repo, ["agent", "join", "claude-1"], "claude-1");
    succeeds(served.repo, ["task", "add", "Fix the API errors", "--tag", "api", "--after", "T-1"]);
    const api = page.locator("article.card", { hasText: "Fix the API errors" });
    await api.waitFor();
    await expect(api.textContent()).resolves.toContain("Waiting on T-1");
    const login = page.locator("article.card", { hasText: "Write the login page" });
    await screenshot(page, "board-desktop");

    await page.getByLabel("Tag", { exact: true }).selectOption("ui");
    await api.waitFor({ state: "detached" });
    await login.waitFor();
    expect(new URL(page.url()).searchParams.get("tag")).toBe("ui");
    await page.getByLabel("Tag", { exact: true }).selectOption("");
    await page.getByLabel("Search").fill("api err");
    await login.waitFor({ state: "detached" });
    await api.waitFor();
    // A link (or a reload) keeps the filters.
    expect(new URL(page.url()).searchParams.get("q")).toBe("api err");
    await page.reload();
    await page.getByRole("heading", { name: "Board" }).waitFor();
    await expect(page.getByLabel("Search").inputValue()).resolves.toBe("api err");
    await api.waitFor();
    expect(await login.count()).toBe(0);

    // Reprioritise and assign from the task's page.
    await api.getByRole("link").click();
    await page.getByRole("heading", { name: /T-2 Fix the API errors/ }).waitFor();
    await page.getByLabel("Priority").selectOption({ label: "P0 urgent" });
    await page.locator(".card-meta .prio", { hasText: "P0 urgent" }).waitFor();
    await page.getByLabel("Assign to").fill("claude-1");
    await page.getByRole("button", { name: "Assign", exact: true }).click();
    await page.getByRole("button", { name: "Unassign claude-1" }).waitFor();
    expect(succeeds(served.repo, ["task", "show", "T-2", "--json"]).json().task).toMatchObject({
      priority: 0,
      assignee: "claude-1",
    });
    await page.getByRole("button", { name: "Unassign claude-1" }).click();
    await page.getByRole("button", { name: "Unassign claude-1" }).waitFor({ state: "detached" });
    expect(succeeds(served.repo, ["task", "show", "T-2", "--json"]).json().task.assignee).toBeNull();
    // Back to the board with its filters.
    await page.getByRole("link", { name: "← Board" }).click();
    await expect(page.getByLabel("Search").inputValue()).resolves.toBe("api err");
  });

  it("a task's page shows the diff of its agent's worktree (committed and not) and cancels it with a reason, which baton task show tells", async () => {
    const served = await serve();
    const repo = served.repo;
    await agentWorktree(repo, "claude-1", {
      file: "login.ts",
      base: "export const fields = ['email'];\n",
      committed: "export const fields = ['email', 'password'];\n",
      uncommitted: "export const fields = ['email', 'password', 'remember'];\n",
      added: { path: "reset.ts", text: "export const reset = true;\n" },
    });

    succeeds(repo, ["agent", "join", "claude-1"], "claude-1");
    succeeds(repo, ["task", "add", "Write the login page", "--tag", "ui"]);
    succeeds(repo, ["task", "add", "Ship it", "--after", "T-1"]);
    succeeds(repo, ["task", "claim", "T-1"], "claude-1");

    const { page } = await pairedPage(served, PHONE);
    await page.getByRole("link", { name: "Board" }).click();
    await page.getByRole("heading", { name: "Board" }).waitFor();
    // On a phone one column shows at a time: In progress holds T-1.
    await page.getByRole("button", { name: /^In progress/ }).click();
    await page.locator("article.card", { hasText: "held by claude-1" }).waitFor();
    await screenshot(page, "board-phone");

    await page.getByRole("link", { name: /T-1 Write the login page/ }).click();
    await page.getByRole("heading", { name: /T-1 Write the login page/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/board/T-1");
    const added = page.locator(".diff .d-add");
    await added.filter({ hasText: "+export const fields = ['email', 'password'];" }).waitFor();
    await page
      .locator(".diff .d-del")
      .filter({ hasText: "-export const fields = ['email'];" })
      .first()
      .waitFor();
    await added.filter({ hasText: "+export const fields = ['email', 'password', 'remember'];" }).waitFor();
    await added.filter({ hasText: "+export const reset = true;" }).waitFor();
    await page.getByRole("heading", { name: /^Not committed yet/ }).waitFor();
    await page.getByRole("heading", { name: "Diff" }).evaluate((h) => h.scrollIntoView({ block: "start" }));
    await screenshot(page, "task-detail-phone");

    await page.getByText("Cancel this task…").click();
    await page.getByLabel("Why").fill("we use the single sign-on instead");
    await page.getByRole("button", { name: "Cancel task" }).click();
    await page.locator(".status", { hasText: "cancelled" }).waitFor();
    const shown = succeeds(repo, ["task", "show", "T-1", "--json"]).json().task;
    expect(shown.status).toBe("cancelled");
    expect(JSON.stringify(shown.history)).toContain("we use the single sign-on instead");
    // The history on the page says so too, live.
    await page.locator(".log li", { hasText: "task.cancelled" }).waitFor();
  });
});
