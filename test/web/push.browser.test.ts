import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { startPushService } from "../helpers/push-service.js";
import { baton } from "../helpers/temp-repo.js";
import { DESKTOP, PHONE, pairedPage, type Served, screenshot, serve } from "./kit.js";

/**
 * Web Push end to end: a real hub (`baton serve`), a real paired chromium page,
 * and a push service of our own on 127.0.0.1 standing in for the browser
 * vendor's (it checks each push's VAPID signature and decrypts it with the
 * keys the test made as a browser would). Headless chromium has no vendor push
 * service to subscribe with, so the test gives the hub the subscription
 * through the page's own session, and hands the decrypted payload to the
 * page's real service worker over CDP, as the vendor's service would.
 */

// biome-ignore lint/suspicious/noExplicitAny: the page's DOM objects, inside page.evaluate
type Any = any;

/** The hub may POST to http://127.0.0.1 only when started to (the stand-in push service). */
const LOOPBACK = { BATON_PUSH_ALLOW_LOOPBACK: "1" };

async function session(page: Page): Promise<{ device: { id: string }; vapidPublicKey: string }> {
  return page.evaluate(async (): Promise<Any> => (await fetch("/api/v1/session")).json());
}

/** A JSON call from the page, with its session cookie and CSRF token, as the app makes it. */
// biome-ignore lint/suspicious/noExplicitAny: JSON answers checked by the tests
async function call(page: Page, method: string, path: string, body?: unknown): Promise<any> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const { csrfToken } = (await (await fetch("/api/v1/session")).json()) as Any;
      const response = await fetch(`/api/v1${path}`, {
        method,
        headers: { "content-type": "application/json", "x-csrf-token": csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, ...((await response.json()) as Any) };
    },
    { method, path, body },
  );
}

const ask = (served: Served, as: string, text: string) => {
  const asked = baton(served.repo, ["ask", text, "--as", as, "--json"]);
  expect(asked.code, asked.stderr).toBe(0);
  return asked.json().question.id as string;
};

/** Until the hub's answer for this device says `subscribed`. */
async function untilSubscribed(page: Page, subscribed: boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await call(page, "GET", "/push/settings")).subscribed === subscribed) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`never subscribed=${subscribed}`);
}

/** A newly paired page (after the first, with a one-time link of its own) whose subscription the hub has. */
async function subscribedDevice(
  served: Served,
  push: Awaited<ReturnType<typeof startPushService>>,
  name: string,
  first = true,
) {
  let link = served.pairLink;
  if (!first) {
    const paired = baton(served.repo, ["pair", "--human", "lea", "--as", "lea", "--json"]);
    expect(paired.code, paired.stderr).toBe(0);
    link = paired.json().link;
  }
  const device = await pairedPage({ ...served, pairLink: link });
  const { browser: _, ...subscription } = push.subscribe(name);
  expect((await call(device.page, "PUT", "/push/subscription", subscription)).status).toBe(200);
  return device;
}

/** Hands a payload to the page's service worker as a push service would (CDP), and lists what it shows. */
async function deliverToServiceWorker(context: BrowserContext, page: Page, data: string) {
  // The page's own globals (this file is type-checked for Node, without the DOM's types).
  await page.evaluate(() => (globalThis as Any).navigator.serviceWorker.ready.then(() => undefined));
  const cdp = await context.newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const ours = registrations.find((r: { scopeURL: string; isDeleted: boolean }) => !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");
  const registrationId = await registration;
  const origin = new URL(page.url()).origin;
  await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data });
  for (let i = 0; i < 100; i++) {
    const shown = await page.evaluate(async () =>
      (await (await (globalThis as Any).navigator.serviceWorker.ready).getNotifications()).map((n: Any) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        url: n.data?.url as string | undefined,
      })),
    );
    if (shown.length > 0) return shown;
    await page.waitForTimeout(50);
  }
  return [];
}

describe("Web Push to a paired device, with a push service of our own", () => {
  it("a question asked from the CLI is pushed once, signed and encrypted, opening that item; the real service worker shows it; an answer and the human's own question push nothing", async () => {
    const served = await serve(undefined, [], LOOPBACK);
    const push = await startPushService();
    baton(served.repo, ["agent", "join", "claude-1"]);
    const { context, page } = await subscribedDevice(served, push, "phone");
    const { vapidPublicKey } = await session(page);

    const first = ask(served, "claude-1", "Ship the login page today?");
    const [got] = await push.waitFor(1);
    expect(got!.payload).toEqual({
      title: "claude-1 asks",
      body: "Ship the login page today?",
      tag: first,
      url: `/inbox/${first}`,
    });
    expect(got!.key).toBe(vapidPublicKey);
    expect(got!.headers.topic).toBe(first);
    expect(got!.headers.urgency).toBe("normal");

    // An answer notifies nobody, nor does what lea asks herself: the next push is the next question of an agent.
    expect(baton(served.repo, ["answer", first, "yes", "--yes", "--as", "lea"]).code).toBe(0);
    ask(served, "lea", "Note to self: check the invoices");
    const next = ask(served, "claude-1", "And the signup page?");
    await push.waitFor(2);
    expect(push.received.map((p) => p.payload.tag)).toEqual([first, next]);
    expect(push.faults).toEqual([]);

    // What the vendor's service would hand the browser, to the page's real service worker.
    await context.grantPermissions(["notifications"], { origin: served.base });
    const shown = await deliverToServiceWorker(context, page, JSON.stringify(got!.payload));
    expect(shown).toEqual([
      { title: "claude-1 asks", body: "Ship the login page today?", tag: first, url: `/inbox/${first}` },
    ]);
  });

  it("kinds turned off and quiet hours push nothing; a push service's 410 removes the subscription", async () => {
    const served = await serve(undefined, [], LOOPBACK);
    const push = await startPushService();
    baton(served.repo, ["agent", "join", "claude-1"]);
    const { page } = await subscribedDevice(served, push, "phone");

    expect(
      (await call(page, "PUT", "/push/settings", { kinds: ["approval"], quietHours: null })).status,
    ).toBe(200);
    ask(served, "claude-1", "Not for this phone (questions are off)");
    // Quiet from an hour ago to an hour from now, on a UTC clock.
    const hour = new Date().getUTCHours();
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, "0")}:00`;
    const quietHours = { start: hh(hour - 1), end: hh(hour + 1), timeZone: "UTC" };
    expect((await call(page, "PUT", "/push/settings", { kinds: ["question"], quietHours })).status).toBe(200);
    ask(served, "claude-1", "Not now either (quiet hours)");
    expect(
      (await call(page, "PUT", "/push/settings", { kinds: ["question"], quietHours: null })).status,
    ).toBe(200);
    const heard = ask(served, "claude-1", "This one, yes");
    await push.waitFor(1);
    expect(push.received.map((p) => p.payload.tag)).toEqual([heard]);

    push.answer("phone", 410);
    ask(served, "claude-1", "The browser dropped its subscription meanwhile");
    await untilSubscribed(page, false);
    expect(push.received).toHaveLength(1);

    // Turning notifications on again from the screen: headless chromium has no vendor push service, so
    // its subscribe() is refused, and the page says so rather than pretending.
    await page.context().grantPermissions(["notifications"], { origin: served.base });
    await page.goto(`${served.base}/settings`);
    await page.getByText("Off for this device.").waitFor();
    await page.getByRole("button", { name: "Turn notifications on" }).click();
    const said = page.getByRole("status").filter({ hasText: /\S/ });
    await said.waitFor();
    await screenshot(page, "settings-push-refused-phone");
    expect(await said.textContent()).toMatch(/push service refused|Notifications are on/);
  });

  it("revoking a device from another's settings screen stops its pushes", async () => {
    const served = await serve(undefined, [], LOOPBACK);
    const push = await startPushService();
    baton(served.repo, ["agent", "join", "claude-1"]);
    const phone = await subscribedDevice(served, push, "phone");
    const desk = await subscribedDevice(served, push, "desk", false);
    const phoneId = (await session(phone.page)).device.id;

    const before = ask(served, "claude-1", "Both devices hear this");
    await push.waitFor(2);
    expect(push.received.map((p) => [p.name, p.payload.tag]).sort()).toEqual([
      ["desk", before],
      ["phone", before],
    ]);

    await desk.page.setViewportSize(PHONE);
    await desk.page.goto(`${served.base}/settings`);
    await desk.page.getByRole("heading", { name: "Your devices" }).waitFor();
    await desk.page.getByText("On for this device.").waitFor();
    await screenshot(desk.page, "settings-phone");
    desk.page.once("dialog", (dialog) => void dialog.accept());
    await desk.page
      .getByRole("listitem")
      .filter({ hasText: phoneId })
      .getByRole("button", { name: /^Revoke/ })
      .click();
    await desk.page
      .getByRole("listitem")
      .filter({ hasText: phoneId })
      .getByText(/revoked/)
      .waitFor();
    await desk.page.setViewportSize(DESKTOP);
    await desk.page.evaluate(() => (globalThis as Any).scrollTo(0, 0));
    await screenshot(desk.page, "settings-desktop");

    const after = ask(served, "claude-1", "Only the desk hears this");
    await push.waitFor(3);
    expect(push.received.map((p) => [p.name, p.payload.tag])).toContainEqual(["desk", after]);
    expect(push.received.filter((p) => p.name === "phone")).toHaveLength(1);
  });
});
