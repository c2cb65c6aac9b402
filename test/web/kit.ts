import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, expect } from "vitest";
import { type Served, serve } from "../helpers/serve-process.js";
import { baton } from "../helpers/temp-repo.js";

export { type Served, serve };

/**
 * The web app in a real browser: Debian's chromium driven by playwright-core,
 * against a real `baton serve` on a free port of 127.0.0.1 in a temp repository.
 * A page is paired the way a person pairs a phone: by opening the one-time link
 * serve printed.
 */

/** Debian's chromium (.ci/run installs it); BATON_CHROMIUM names another. No browser, no pass: the tests fail. */
export const CHROMIUM = process.env.BATON_CHROMIUM ?? "/usr/bin/chromium";

/** Screenshots are kept here (CI keeps the folder as an artifact). */
export const SCREENSHOTS = resolve(import.meta.dirname, "../../artifacts/screenshots");

export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

let browser: Browser | undefined;

export async function theBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: CHROMIUM,
    // No sandbox: CI runs as root in a container, where chromium's sandbox cannot start.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  return browser;
}

afterAll(async () => {
  await browser?.close();
  browser = undefined;
});

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

/** A fresh browser context (its own cookies and storage: one device) with a page of the given size. */
export async function newDevice(viewport: { width: number; height: number } = PHONE): Promise<{
  context: BrowserContext;
  page: Page;
}> {
  const context = await (await theBrowser()).newContext({ viewport, deviceScaleFactor: 1 });
  stops.push(() => context.close());
  const page = await context.newPage();
  return { context, page };
}

const spent = new Set<string>();

/** The link serve printed, the first time; a new one-time link (baton pair) after that. */
export function freshPairLink(served: Served, human = "lea"): string {
  if (!spent.has(served.pairLink)) {
    spent.add(served.pairLink);
    return served.pairLink;
  }
  const made = baton(served.repo, ["pair", "--human", human, "--as", human, "--json"]);
  if (made.code !== 0) throw new Error(`baton pair failed: ${made.stderr}`);
  return `${served.base}/pair${new URL(made.json().link).hash}`;
}

/** Opens the pairing link in a new device and waits for the inbox: a paired page. */
export async function pairedPage(
  served: Served,
  viewport: { width: number; height: number } = PHONE,
): Promise<{ context: BrowserContext; page: Page }> {
  const device = await newDevice(viewport);
  await device.page.goto(freshPairLink(served));
  await device.page.getByRole("heading", { name: /^Inbox/ }).waitFor();
  expect(new URL(device.page.url()).pathname).toBe("/inbox");
  return device;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** axe-core's serious and critical findings on the page as it is (evaluated through the browser's protocol: the page's CSP allows no injected script). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(source);
  const found = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the page's globals: axe (defined by the script above) and its document
    const page = globalThis as any;
    const result = await page.axe.run(page.document);
    return result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[];
  });
  return found
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
