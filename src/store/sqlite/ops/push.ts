import {
  defaultPushSettings,
  PUSH_KINDS,
  type PushKind,
  type PushSettings,
  type PushSubscription,
  type PushTarget,
} from "../../../domain/push.js";
import { BatonError } from "../../../errors.js";
import type {
  RemovePushSubscriptionInput,
  SavePushSettingsInput,
  SavePushSubscriptionInput,
} from "../../port.js";
import { appendEvent, type Tx } from "../tx.js";

/**
 * Web Push per paired device: its subscription, its settings, and the items
 * already pushed to it. Only the device's own human changes the first two;
 * the hub drops a subscription its push service says is gone.
 */

interface SubscriptionRow {
  device: number;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: number;
}

interface SettingsRow {
  device: number;
  kinds: string;
  quiet_start: string | null;
  quiet_end: string | null;
  time_zone: string | null;
  updated_at: number;
}

function toSubscription(row: SubscriptionRow): PushSubscription {
  return {
    device: `D-${row.device}`,
    endpoint: row.endpoint,
    p256dh: row.p256dh,
    auth: row.auth,
    createdAt: row.created_at,
  };
}

function toSettings(device: number, row: SettingsRow | undefined): PushSettings {
  if (!row) return defaultPushSettings(`D-${device}`);
  const kinds = (JSON.parse(row.kinds) as string[]).filter((k): k is PushKind =>
    (PUSH_KINDS as readonly string[]).includes(k),
  );
  return {
    device: `D-${device}`,
    kinds,
    quietHours:
      row.quiet_start && row.quiet_end && row.time_zone
        ? { start: row.quiet_start, end: row.quiet_end, timeZone: row.time_zone }
        : null,
    updatedAt: row.updated_at,
  };
}

function deviceSeq(id: string): number {
  const match = /^D-([1-9][0-9]{0,15})$/i.exec(String(id).trim());
  if (!match)
    throw new BatonError("not_found", `no device '${String(id).slice(0, 40)}'`, "ids look like D-3");
  return Number(match[1]);
}

/** The live device `id`, which must be the acting human's own. */
function ownDevice(tx: Tx, id: string): { seq: number; human: string; name: string } {
  const seq = deviceSeq(id);
  const row = tx.conn.get<{ seq: number; human: string; name: string }>(
    `SELECT seq, human, name FROM devices WHERE seq = ? AND revoked_at IS NULL`,
    seq,
  );
  if (!row) throw new BatonError("not_found", `no paired device D-${seq}`, "list them with baton devices");
  if (row.human !== tx.actor)
    throw new BatonError(
      "forbidden",
      `device D-${seq} is ${row.human}'s; only ${row.human} sets its notifications`,
      "change notifications from the device itself",
    );
  return row;
}

export function savePushSubscription(tx: Tx, input: SavePushSubscriptionInput): PushSubscription {
  const device = ownDevice(tx, input.device);
  const row = tx.conn.get<SubscriptionRow>(
    `INSERT INTO push_subscriptions (device, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (device) DO UPDATE SET endpoint = excluded.endpoint, p256dh = excluded.p256dh,
       auth = excluded.auth, created_at = excluded.created_at
     RETURNING *`,
    device.seq,
    input.endpoint,
    input.p256dh,
    input.auth,
    tx.now,
  )!;
  // The endpoint is a capability (whoever has it can push to the browser): it stays out of the log.
  appendEvent(tx, {
    type: "push.subscribed",
    subject: `D-${device.seq}`,
    summary: `${tx.actor} turned notifications on for ${device.name} (D-${device.seq})`,
    data: { after: { device: `D-${device.seq}`, host: new URL(input.endpoint).host } },
  });
  return toSubscription(row);
}

/**
 * Removes a device's subscription. With `endpoint` (the hub, told by the push
 * service that the subscription is gone), only that one: a newer subscription
 * the device made meanwhile stays. Without, the device's human turns it off.
 */
export function removePushSubscription(tx: Tx, input: RemovePushSubscriptionInput): boolean {
  const seq = input.endpoint === undefined ? ownDevice(tx, input.device).seq : deviceSeq(input.device);
  const removed = tx.conn.get<{ device: number }>(
    input.endpoint === undefined
      ? `DELETE FROM push_subscriptions WHERE device = ? RETURNING device`
      : `DELETE FROM push_subscriptions WHERE device = ? AND endpoint = ? RETURNING device`,
    ...(input.endpoint === undefined ? [seq] : [seq, input.endpoint]),
  );
  if (!removed) return false;
  appendEvent(tx, {
    type: "push.unsubscribed",
    subject: `D-${seq}`,
    summary:
      input.endpoint === undefined
        ? `${tx.actor} turned notifications off for D-${seq}`
        : `notifications for D-${seq} stopped: ${input.reason ?? "its push service no longer knows it"}`,
    data: { before: { device: `D-${seq}` } },
  });
  return true;
}

export function getPushSubscription(tx: Tx, input: { device: string }): PushSubscription | null {
  const row = tx.conn.get<SubscriptionRow>(
    `SELECT * FROM push_subscriptions WHERE device = ?`,
    deviceSeq(input.device),
  );
  return row ? toSubscription(row) : null;
}

export function getPushSettings(tx: Tx, input: { device: string }): PushSettings {
  const seq = deviceSeq(input.device);
  return toSettings(seq, tx.conn.get<SettingsRow>(`SELECT * FROM push_settings WHERE device = ?`, seq));
}

export function savePushSettings(tx: Tx, input: SavePushSettingsInput): PushSettings {
  const device = ownDevice(tx, input.device);
  const quiet = input.quietHours;
  const row = tx.conn.get<SettingsRow>(
    `INSERT INTO push_settings (device, kinds, quiet_start, quiet_end, time_zone, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (device) DO UPDATE SET kinds = excluded.kinds, quiet_start = excluded.quiet_start,
       quiet_end = excluded.quiet_end, time_zone = excluded.time_zone, updated_at = excluded.updated_at
     RETURNING *`,
    device.seq,
    JSON.stringify(input.kinds),
    quiet?.start ?? null,
    quiet?.end ?? null,
    quiet?.timeZone ?? null,
    tx.now,
  )!;
  const settings = toSettings(device.seq, row);
  appendEvent(tx, {
    type: "push.settings",
    subject: `D-${device.seq}`,
    summary: `${tx.actor} set notifications for ${device.name} (D-${device.seq}): ${
      settings.kinds.length ? settings.kinds.join(", ") : "nothing"
    }${quiet ? `, quiet ${quiet.start}-${quiet.end} (${quiet.timeZone})` : ""}`,
    data: { after: { kinds: settings.kinds, quietHours: settings.quietHours } },
  });
  return settings;
}

/** Every live device with a subscription, with its settings: where a notification may go. */
export function listPushTargets(tx: Tx): PushTarget[] {
  const rows = tx.conn.all<SubscriptionRow & { human: string }>(
    `SELECT s.*, d.human FROM push_subscriptions s JOIN devices d ON d.seq = s.device
     WHERE d.revoked_at IS NULL ORDER BY s.device`,
  );
  return rows.map((row) => ({
    device: `D-${row.device}`,
    human: row.human,
    subscription: toSubscription(row),
    settings: toSettings(
      row.device,
      tx.conn.get<SettingsRow>(`SELECT * FROM push_settings WHERE device = ?`, row.device),
    ),
  }));
}

/**
 * Records that `item` is being pushed to `device`; false when it already was.
 * Taken before the push is sent: a hub that dies mid-send loses that one
 * notification rather than sending it twice.
 */
export function claimPush(tx: Tx, input: { device: string; item: string }): boolean {
  const row = tx.conn.get(
    `INSERT INTO push_sent (device, item, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING device`,
    deviceSeq(input.device),
    input.item,
    tx.now,
  );
  return row !== undefined;
}
