import { z } from "zod";
import { PUSH_KINDS } from "../../../domain/push.js";
import { BatonError } from "../../../errors.js";
import type { Principal } from "../../principal.js";
import { type Route, route } from "../route.js";

/** The device a request comes from: notifications are set per device, from the device itself. */
function deviceOf(principal: Principal): string {
  if (principal.kind !== "human")
    throw new BatonError("forbidden", "notifications are for a human's paired device", "pair a device");
  return principal.deviceId;
}

/** What a browser's `PushSubscription.toJSON()` gives, as it gives it. */
const subscription = z
  .object({
    endpoint: z.string().max(1024),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: z.string().max(128), auth: z.string().max(64) }).strict(),
  })
  .strict();

/** HH:MM; checked with the zone by domain/push.ts (checkQuietHours). */
const clock = z.string().max(5).describe("a time of day, HH:MM (22:00)");

const settings = z
  .object({
    kinds: z.array(z.enum(PUSH_KINDS)).max(PUSH_KINDS.length * 2),
    quietHours: z
      .object({ start: clock, end: clock, timeZone: z.string().min(1).max(64) })
      .strict()
      .nullable(),
  })
  .strict();

/** Web Push for the calling device (humans only): its subscription, its settings, a test push. */
export const PUSH_ROUTES: Route[] = [
  route({
    method: "PUT",
    path: "/push/subscription",
    operationId: "savePushSubscription",
    summary: "Turn notifications on for this device: the browser's push subscription (humans only)",
    tag: "access",
    humanOnly: true,
    body: subscription,
    run: async ({ ws, principal, body }) => {
      const saved = await ws.push.subscribe(deviceOf(principal), body);
      return { subscription: { device: saved.device, createdAt: saved.createdAt } };
    },
  }),
  route({
    method: "DELETE",
    path: "/push/subscription",
    operationId: "removePushSubscription",
    summary: "Turn notifications off for this device (humans only)",
    tag: "access",
    humanOnly: true,
    body: z.object({}).strict(),
    run: async ({ ws, principal }) => ({ removed: await ws.push.unsubscribe(deviceOf(principal)) }),
  }),
  route({
    method: "GET",
    path: "/push/settings",
    operationId: "pushSettings",
    summary: "This device's notification settings, and whether it is subscribed (humans only)",
    tag: "access",
    humanOnly: true,
    run: async ({ ws, principal }) => ws.push.settings(deviceOf(principal)),
  }),
  route({
    method: "PUT",
    path: "/push/settings",
    operationId: "savePushSettings",
    summary: "What this device is notified of, and its quiet hours (humans only)",
    tag: "access",
    humanOnly: true,
    body: settings,
    run: async ({ ws, principal, body }) => ({
      settings: await ws.push.saveSettings(deviceOf(principal), body),
    }),
  }),
  route({
    method: "POST",
    path: "/push/test",
    operationId: "testPush",
    summary: "Send a test notification to this device now (humans only)",
    tag: "access",
    humanOnly: true,
    body: z.object({}).strict(),
    run: async ({ ws, principal }) => ({ outcome: await ws.push.test(deviceOf(principal)) }),
  }),
];
