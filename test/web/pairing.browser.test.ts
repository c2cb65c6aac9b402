import { describe, expect, it } from "vitest";
import { baton } from "../helpers/temp-repo.js";
import { newDevice, pairedPage, screenshot, serve } from "./kit.js";

describe("the web app: pairing and the inbox, in a real chromium", () => {
  it("pairs with the one-time link; a question asked with baton ask --wait appears without reload, one tap answers it, and the CLI's wait returns that answer", async () => {
    const served = await serve();
    const { page } = await pairedPage(served);
    await expect(page.getByText("Nothing waits for you.")).toBeDefined();
    const asking = baton(served.repo, ["agent", "join", "claude-1"]);
    expect(asking.code, asking.stderr).toBe(0);
    const { batonInBackground } = await import("../helpers/temp-repo.js");
    const ask = batonInBackground(served.repo, [
      "ask",
      "Ship the login page today?",
      "--options",
      "yes,no",
      "--wait",
      "60s",
      "--as",
      "claude-1",
      "--json",
    ]);
    const item = page.locator("article.question", { hasText: "Ship the login page today?" });
    await item.waitFor({ timeout: 15_000 });
    await screenshot(page, "inbox-question-phone");
    await item.getByRole("button", { name: "yes" }).click();
    const done = await ask.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.json().question).toMatchObject({ status: "answered", answer: "yes", answeredBy: "lea" });
    await item.waitFor({ state: "detached" });
  });

  it("an unpaired browser sees only how to pair, and a used link does not pair a second device", async () => {
    const served = await serve();
    const stranger = await newDevice();
    await stranger.page.goto(`${served.base}/inbox`);
    await stranger.page.getByRole("heading", { name: "This device is not paired" }).waitFor();
    await pairedPage(served);
    const second = await newDevice();
    await second.page.goto(served.pairLink);
    await second.page
      .getByRole("status")
      .filter({ hasText: /used|unknown|expired/i })
      .waitFor();
  });
});
