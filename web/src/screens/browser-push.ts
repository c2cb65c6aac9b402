import { api } from "../api";

/**
 * This browser's side of Web Push: permission, the service worker's push
 * subscription, and telling the hub about it. Loaded with the settings
 * screen only. Each failure comes back as a sentence for the person.
 */

export type PushSupport = { ok: true } | { ok: false; why: string };

export function pushSupport(): PushSupport {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    const ios = /iPhone|iPad/.test(navigator.userAgent);
    return {
      ok: false,
      why: ios
        ? "On an iPhone or iPad, notifications work once baton is on the home screen: Share → Add to Home Screen, then open it from there."
        : "This browser cannot receive push notifications.",
    };
  }
  if (!window.isSecureContext)
    return {
      ok: false,
      why: "Notifications need the app opened over https (or on this computer's localhost).",
    };
  return { ok: true };
}

/** The base64url key as the bytes `applicationServerKey` takes. */
function keyBytes(key: string): Uint8Array<ArrayBuffer> {
  const text = atob(
    key
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(key.length / 4) * 4, "="),
  );
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function registration(): Promise<ServiceWorkerRegistration> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("the service worker did not start: reload the page")), 10_000),
  );
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

/** Asks permission, subscribes with the hub's key, and gives the hub the subscription. */
export async function turnOn(vapidPublicKey: string): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission === "denied")
    throw new Error(
      "Notifications are blocked for this site. Allow them in the browser's site settings (the icon left of the address), then try again.",
    );
  if (permission !== "granted")
    throw new Error("Notifications were not allowed: try again and choose Allow.");
  const reg = await registration();
  let subscription = await reg.pushManager.getSubscription();
  const wanted = keyBytes(vapidPublicKey);
  const current = subscription?.options.applicationServerKey;
  // A subscription made for another key (the hub's key file was replaced) cannot carry our pushes.
  if (subscription && current && !sameBytes(new Uint8Array(current), wanted)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  try {
    subscription ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: wanted });
  } catch (error) {
    throw new Error(
      `The browser's push service refused to subscribe (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  await api("PUT", "/push/subscription", subscription.toJSON());
}

export async function turnOff(): Promise<void> {
  const reg = await registration().catch(() => undefined);
  await (await reg?.pushManager.getSubscription())?.unsubscribe();
  await api("DELETE", "/push/subscription", {});
}

function sameBytes(a: Uint8Array, b: Uint8Array<ArrayBuffer>): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
