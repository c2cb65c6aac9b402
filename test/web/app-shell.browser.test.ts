import { describe, expect, it } from "vitest";
import { baton } from "../helpers/temp-repo.js";
import { DESKTOP, newDevice, PHONE, pairedPage, screenshot, seriousViolations, serve } from "./kit.js";

/** Every screen's path, as a person reaches it from the navigation. */
const SCREENS = ["inbox", "board", "agents", "channels", "activity", "summary", "settings"];

const as = (repo: string, agent: string, ...args: string[]) => {
  const result = baton(repo, [...args, "--as", agent]);
  expect(result.code, result.stderr).toBe(0);
};

describe("the app's shell in a real chromium", () => {
  it("every screen, at 360 px and 1280 px, has no serious accessibility violation (axe-core) and is reached by keyboard", async () => {
    const served = await serve();
    as(served.repo, "claude-1", "agent", "join", "claude-1");
    as(served.repo, "claude-1", "task", "add", "Write the login page", "--tag", "web");
    as(served.repo, "claude-1", "task", "claim");
    as(served.repo, "claude-1", "ask", "Which font?", "--options", "system,Inter", "--task", "T-1");
    as(served.repo, "claude-1", "send", "lea", "pushed the branch", "--urgent");
    for (const viewport of [PHONE, DESKTOP]) {
      const { page } = await pairedPage(served, viewport);
      for (const screen of SCREENS) {
        await page
          .getByRole("navigation", { name: "Screens" })
          .getByRole("link", { name: new RegExp(`^${screen}\\b`, "i") })
          .click();
        await page.locator("main h1").first().waitFor();
        // Drawn with its data: nothing on the screen still loading.
        await page.locator("main [aria-busy='true']").first().waitFor({ state: "detached" });
        expect(await seriousViolations(page), `${screen} at ${viewport.width}px`).toEqual([]);
        expect(new URL(page.url()).pathname).toBe(`/${screen}`);
      }
    }
    // Keyboard: the first Tab reaches "Skip to content", which moves the focus to the screen itself.
    const { page } = await pairedPage(served);
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Skip to content");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await page.evaluate('document.activeElement?.closest("main") !== null')).toBe(true);
  });

  it("is an installable app: a manifest with icons, and a service worker that controls the page", async () => {
    const served = await serve();
    const manifest = await fetch(`${served.base}/manifest.webmanifest`);
    expect(manifest.headers.get("content-type")).toBe("application/manifest+json");
    const body = (await manifest.json()) as { icons: { src: string; sizes: string }[] };
    expect(body).toMatchObject({ start_url: "/", display: "standalone" });
    const sizes = body.icons.map((i: { sizes: string }) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    for (const icon of body.icons) expect((await fetch(`${served.base}${icon.src}`)).status).toBe(200);
    const { page } = await pairedPage(served);
    const scope = await page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)");
    expect(scope).toBe(`${served.base}/`);
    // Once installed, the app opens without the network: the shell comes from the worker's cache.
    await page.reload();
    await page.waitForFunction("navigator.serviceWorker.controller !== null");
    await page.context().setOffline(true);
    await page.goto(`${served.base}/inbox`);
    await page.getByRole("status").filter({ hasText: "Offline" }).waitFor();
    await page.context().setOffline(false);
  });

  it("says when it is offline, reconnects by itself, and shows what happened meanwhile without a reload", async () => {
    const served = await serve();
    const { page, context } = await pairedPage(served);
    as(served.repo, "claude-1", "agent", "join", "claude-1");
    await context.setOffline(true);
    await page.getByRole("status").filter({ hasText: "Offline" }).waitFor();
    await screenshot(page, "offline-phone");
    as(served.repo, "claude-1", "ask", "Asked while you were away?");
    await context.setOffline(false);
    await page.locator("article.question", { hasText: "Asked while you were away?" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Offline" }).waitFor({ state: "detached" });
  });

  it("an unpaired browser gets no data from any screen, only how to pair", async () => {
    const served = await serve();
    const { page } = await newDevice();
    for (const screen of SCREENS) {
      await page.goto(`${served.base}/${screen}`);
      await page.getByRole("heading", { name: "This device is not paired" }).waitFor();
    }
    const answer = await page.evaluate('fetch("/api/v1/inbox").then((r) => r.status)');
    expect(answer).toBe(401);
  });
});
