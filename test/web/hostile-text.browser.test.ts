import { describe, expect, it } from "vitest";
import { baton } from "../helpers/temp-repo.js";
import { pairedPage, screenshot, serve } from "./kit.js";

const as = (repo: string, agent: string, ...args: string[]) => {
  const result = baton(repo, [...args, "--as", agent]);
  expect(result.code, result.stderr).toBe(0);
};

/** What a hostile agent writes: markup, a script URL, and a bidi override that reorders what the person reads. */
const RLO = "\u202e";
const HOSTILE = `<img src=x onerror=alert(1)><script>alert(2)</script> ${RLO}fr- mr\u202c zero\u200bwidth`;

describe("text from agents in a real chromium", () => {
  it("is shown as text: no markup runs, and bidi overrides and invisible characters are visible stand-ins", async () => {
    const served = await serve();
    as(served.repo, "mal", "agent", "join", "mal");
    as(served.repo, "mal", "ask", `Which? ${HOSTILE}`, "--options", `yes ${HOSTILE.replace(/,/g, "")},no`);
    as(served.repo, "mal", "approval", "request", `run ${HOSTILE}`);
    as(served.repo, "mal", "send", "lea", `look ${HOSTILE}`, "--urgent");
    const { page } = await pairedPage(served);
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page
      .getByText(/run <img src=x/)
      .first()
      .waitFor();
    await screenshot(page, "hostile-text-inbox-phone");
    const text = await page.locator("main").innerText();
    expect(text).toContain("<U+202E>fr- mr<U+202C>");
    expect(text).toContain("zero<U+200B>width");
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]/);
    expect(await page.locator("main img, main script").count()).toBe(0);
    // The live stream's events are read the same way.
    await page.goto(`${served.base}/activity`);
    await page
      .getByText(/asks|asked/)
      .first()
      .waitFor();
    expect(await page.locator("main").innerText()).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]/);
    expect(dialogs).toEqual([]);
  });
});
