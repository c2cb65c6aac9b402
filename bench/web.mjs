/**
 * The human's web app (issue 11), in Debian's chromium driven by playwright-core
 * against a real `baton serve`:
 *
 *   bundle          the first screen's JavaScript and CSS, gzip and brotli (budget: JS < 100 kB compressed)
 *   first load      a paired phone opening /inbox until the inbox is interactive (its heading shown,
 *                   its answer buttons enabled), cold (no cache), on a throttled mobile profile
 *                   (CPU 4× slower, 150 ms round trips, 1.6 Mbit/s down: Lighthouse's mobile) and
 *                   unthrottled; target ≤ 1 s throttled
 *   ask → visible   `baton ask` run from the CLI until the question's card is in the open page, over
 *                   50 questions; from the command's start (its own start-up included) and from the
 *                   question's commit (its event's time)
 *   20 pages        one question, until each of 20 open pages on the hub shows it; p99 over the pages
 *                   and rounds
 *
 * Times are taken on one machine's clock: the page's Date.now() when a card appears (a
 * MutationObserver), the benchmark's Date.now() when it started the command.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { openWorkspace } from "../dist/index.js";
import { startHub } from "./lib/hub.mjs";
import { freePort } from "./lib/redis.mjs";
import { newRepo } from "./lib/repo.mjs";
import { summarise } from "./lib/stats.mjs";
import { firstScreenBundle } from "./lib/web-bundle.mjs";

const here = import.meta.dirname;
const cli = resolve(here, "../dist/cli/baton.js");
const web = resolve(here, "../dist/web");
const run = promisify(execFile);
const CHROMIUM = process.env.BATON_CHROMIUM ?? "/usr/bin/chromium";
const HUMAN = "lea";
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

/** Lighthouse's mobile profile. */
const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};

async function pairLink(repo, base) {
  const ws = await openWorkspace({ cwd: repo, as: HUMAN });
  try {
    if ((await ws.agents.me())?.kind !== "human") await ws.agents.join({ kind: "human" });
    const { token } = await ws.access.pair(HUMAN);
    return `${base}/pair#${token}`;
  } finally {
    await ws.close();
  }
}

/** A new browser context paired with the hub (its own cookie: one device), and its first page. */
async function pairedContext(browser, repo, base, viewport = { width: 360, height: 740 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(await pairLink(repo, base));
  await page.getByRole("heading", { name: /^Inbox/ }).waitFor();
  return { context, page };
}

/** Records in the page when each inbox card first appears: window.__seen[id] = Date.now(). */
async function watchCards(page) {
  await page.evaluate(() => {
    window.__seen = {};
    const note = () => {
      for (const el of document.querySelectorAll("article.item[data-id]")) {
        const id = el.getAttribute("data-id");
        if (!(id in window.__seen)) window.__seen[id] = Date.now();
      }
    };
    new MutationObserver(note).observe(document.body, { childList: true, subtree: true });
    note();
  });
}

async function seenAt(page, id, timeoutMs = 15_000) {
  const handle = await page.waitForFunction((qid) => window.__seen?.[qid], id, { timeout: timeoutMs });
  return handle.jsonValue();
}

async function ask(repo, text) {
  const started = Date.now();
  const { stdout } = await run(
    process.execPath,
    [cli, "ask", text, "--options", "yes,no", "--as", "claude-1", "--json"],
    {
      cwd: repo,
    },
  );
  const question = JSON.parse(stdout).question;
  return { started, id: question.id, committed: question.askedAt };
}

async function firstLoads(browser, repo, base, rounds, throttled) {
  const { context } = await pairedContext(browser, repo, base);
  const times = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      if (throttled) {
        await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      }
      const started = Date.now();
      await page.goto(`${base}/inbox`, { waitUntil: "commit" });
      // Interactive: the inbox is drawn and its first card's answer can be pressed.
      await page
        .locator("article.question button.option:not([disabled])")
        .first()
        .waitFor({ timeout: 30_000 });
      times.push(Date.now() - started);
      await page.close();
    }
  } finally {
    await context.close();
  }
  return times;
}

export async function benchWeb({ scratch, quick, log }) {
  if (!existsSync(CHROMIUM))
    throw new Error(`bench web: no chromium at ${CHROMIUM} (apt-get install chromium, or BATON_CHROMIUM)`);
  const { chromium } = await import("playwright-core");
  const rows = [];
  const checks = [];
  const bundle = firstScreenBundle(web);
  log(`web: first screen ${kb(bundle.js.gzip)} of JavaScript gzip (${kb(bundle.js.raw)} raw)`);
  checks.push([
    "first screen's JavaScript < 100 kB compressed",
    bundle.js.gzip < 100 * 1024,
    `${kb(bundle.js.gzip)} gzip, ${kb(bundle.js.brotli)} brotli (${kb(bundle.js.raw)} raw); with CSS ${kb(bundle.total.gzip)} gzip; ${bundle.lazy.count} other screens ${kb(bundle.lazy.gzip)} gzip, loaded when opened`,
  ]);

  const repo = newRepo(scratch, "web");
  const port = await freePort();
  const hub = await startHub(cli, repo, port);
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  try {
    await run(process.execPath, [cli, "agent", "join", "claude-1", "--as", "claude-1"], { cwd: repo });
    await ask(repo, "Is this the first question?");

    log("web: first load, throttled and not");
    const loads = quick ? 3 : 10;
    const fast = summarise(await firstLoads(browser, repo, base, loads, false));
    const slow = summarise(await firstLoads(browser, repo, base, loads, true));
    rows.push({
      operation: "web: first load → inbox interactive (no throttling)",
      processes: 2,
      opsPerSec: Number.NaN,
      ...fast,
      notes: `${loads} cold loads`,
    });
    rows.push({
      operation: "web: first load → inbox interactive (mobile: CPU 4×, 150 ms RTT, 1.6 Mbit/s)",
      processes: 2,
      opsPerSec: Number.NaN,
      ...slow,
      notes: `${loads} cold loads`,
    });
    checks.push([
      "first screen interactive ≤ 1 s on the throttled mobile profile (p50)",
      slow.p50 <= 1000,
      `p50 ${slow.p50.toFixed(0)} ms, p99 ${slow.p99.toFixed(0)} ms`,
    ]);

    log("web: baton ask → visible in the page");
    const { context, page } = await pairedContext(browser, repo, base);
    await watchCards(page);
    const fromStart = [];
    const fromCommit = [];
    const questions = quick ? 15 : 50;
    for (let i = 0; i < questions; i++) {
      const asked = await ask(repo, `question ${i}?`);
      const seen = await seenAt(page, asked.id);
      fromStart.push(seen - asked.started);
      fromCommit.push(seen - asked.committed);
    }
    await context.close();
    const s = summarise(fromStart);
    const c = summarise(fromCommit);
    rows.push({
      operation: "web: `baton ask` started → card in the open page",
      processes: 3,
      opsPerSec: Number.NaN,
      ...s,
      notes: `${questions} questions; CLI start-up included`,
    });
    rows.push({
      operation: "web: question committed → card in the open page",
      processes: 3,
      opsPerSec: Number.NaN,
      ...c,
      notes: `${questions} questions`,
    });

    log("web: 20 open pages");
    // A context each, as 20 phones or browsers would be: one browser profile opens at most 6
    // connections to one host, and each open page holds one for its live stream.
    const contexts = [];
    for (let i = 0; i < 20; i++) contexts.push(await pairedContext(browser, repo, base));
    const pages = contexts.map((c) => c.page);
    for (const p of pages) await watchCards(p);
    const fanout = [];
    const rounds = quick ? 3 : 10;
    for (let r = 0; r < rounds; r++) {
      const asked = await ask(repo, `for everyone ${r}?`);
      const seen = await Promise.all(pages.map((p) => seenAt(p, asked.id, 30_000)));
      for (const at of seen) fanout.push(at - asked.committed);
    }
    for (const c of contexts) await c.context.close();
    const f = summarise(fanout);
    rows.push({
      operation: "web: question committed → shown in each of 20 open pages",
      processes: 22,
      opsPerSec: Number.NaN,
      ...f,
      notes: `${rounds} questions × 20 pages`,
    });
  } finally {
    await browser.close();
    await hub.stop();
  }
  return { rows, checks };
}
