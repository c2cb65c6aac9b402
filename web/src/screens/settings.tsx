import { useCallback, useEffect, useState } from "preact/hooks";
import { type ApiError, api, get, post } from "../api";
import type { ScreenProps } from "../app";
import { when } from "../time";
import { pushSupport, turnOff, turnOn } from "./browser-push";

type Kind = "question" | "approval" | "escalation" | "message";
interface QuietHours {
  start: string;
  end: string;
  timeZone: string;
}
interface PushSettings {
  kinds: Kind[];
  quietHours: QuietHours | null;
}
interface Device {
  id: string;
  human: string;
  name: string;
  pairedAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const KINDS: { kind: Kind; label: string }[] = [
  { kind: "question", label: "Questions" },
  { kind: "approval", label: "Approvals" },
  { kind: "escalation", label: "Escalations" },
  { kind: "message", label: "Urgent messages" },
];

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** This device, its notifications, and the human's paired devices. */
export default function Settings({ session }: ScreenProps) {
  const [devices, setDevices] = useState<Device[] | undefined>();
  const [push, setPush] = useState<{ settings: PushSettings; subscribed: boolean } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const reload = useCallback(() => {
    Promise.all([get<{ devices: Device[] }>("/devices"), get<typeof push & object>("/push/settings")])
      .then(([d, p]) => {
        setDevices(d.devices.filter((x) => x.human === session.name));
        setPush(p);
        setError(undefined);
      })
      .catch((e: ApiError) => setError(e.message));
  }, []);
  useEffect(reload, []);
  const me = devices?.find((d) => d.id === session.device?.id);

  return (
    <section class="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {error ? <p role="alert">{error}</p> : null}
      <h2>This device</h2>
      {session.device ? (
        <p>
          <strong>{session.device.name}</strong> <span class="id">{session.device.id}</span>
          {me ? <span class="hint"> · paired {when(me.pairedAt)}</span> : null}
        </p>
      ) : (
        <p class="hint">This session belongs to no paired device.</p>
      )}
      {push ? (
        <Notifications state={push} vapidKey={session.vapidPublicKey ?? null} onChange={reload} />
      ) : null}
      <h2>Your devices</h2>
      {devices ? <DeviceList devices={devices} current={session.device?.id} onChange={reload} /> : null}
    </section>
  );
}

function Notifications({
  state,
  vapidKey,
  onChange,
}: {
  state: { settings: PushSettings; subscribed: boolean };
  vapidKey: string | null;
  onChange: () => void;
}) {
  const [kinds, setKinds] = useState<Kind[]>(state.settings.kinds);
  const [quiet, setQuiet] = useState<boolean>(state.settings.quietHours !== null);
  const [start, setStart] = useState(state.settings.quietHours?.start ?? "22:00");
  const [end, setEnd] = useState(state.settings.quietHours?.end ?? "07:00");
  // Said beside what was tapped (the toggle, or the form's buttons), where a phone's screen shows it.
  const [status, setStatus] = useState<{ text: string; bad?: boolean; at: "toggle" | "form" } | undefined>();
  const [busy, setBusy] = useState(false);
  const support = pushSupport();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

  const run = (at: "toggle" | "form", what: () => Promise<string>) => async () => {
    setBusy(true);
    setStatus(undefined);
    try {
      setStatus({ text: await what(), at });
      onChange();
    } catch (e) {
      setStatus({ text: message(e), bad: true, at });
    } finally {
      setBusy(false);
    }
  };
  const toggle = run("toggle", async () => {
    if (state.subscribed) {
      await turnOff();
      return "Notifications are off on this device.";
    }
    if (!vapidKey) throw new Error("The hub has no push key: it could not write .baton/vapid.json.");
    await turnOn(vapidKey);
    return "Notifications are on for this device.";
  });
  const save = run("form", async () => {
    await api("PUT", "/push/settings", {
      kinds,
      quietHours: quiet ? { start, end, timeZone: zone } : null,
    });
    return "Saved.";
  });
  const test = run("form", async () => {
    const { outcome } = await post<{ outcome: { kind: string; why?: string } }>("/push/test");
    if (outcome.kind === "sent") return "A test notification is on its way.";
    if (outcome.kind === "gone")
      throw new Error("The push service no longer knows this device: turn notifications on again.");
    throw new Error(`The test did not go out: ${outcome.why ?? "unknown error"}.`);
  });

  return (
    <div class="notifications">
      <h2>Notifications</h2>
      {support.ok ? (
        <p>
          {state.subscribed ? "On for this device." : "Off for this device."}{" "}
          <button type="button" onClick={toggle} disabled={busy}>
            {state.subscribed ? "Turn notifications off" : "Turn notifications on"}
          </button>
        </p>
      ) : null}
      {support.ok ? (
        <Said status={status} at="toggle" />
      ) : (
        <p class="hint" role="note">
          {support.why}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend>Notify me of</legend>
          {KINDS.map(({ kind, label }) => (
            <label class="check" key={kind}>
              <input
                type="checkbox"
                checked={kinds.includes(kind)}
                onChange={(e) =>
                  setKinds((now) =>
                    (e.currentTarget as HTMLInputElement).checked
                      ? [...now, kind]
                      : now.filter((k) => k !== kind),
                  )
                }
              />
              {label}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Quiet hours</legend>
          <label class="check">
            <input
              type="checkbox"
              checked={quiet}
              onChange={(e) => setQuiet((e.currentTarget as HTMLInputElement).checked)}
            />
            No notifications between
          </label>
          <div class="times">
            <label>
              From
              <input
                type="time"
                value={start}
                disabled={!quiet}
                onInput={(e) => setStart((e.currentTarget as HTMLInputElement).value)}
              />
            </label>
            <label>
              To
              <input
                type="time"
                value={end}
                disabled={!quiet}
                onInput={(e) => setEnd((e.currentTarget as HTMLInputElement).value)}
              />
            </label>
          </div>
          <p class="hint">On this device's clock ({zone}).</p>
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Save
          </button>
          <button type="button" onClick={test} disabled={busy || !state.subscribed}>
            Send a test
          </button>
        </div>
      </form>
      <Said status={status} at="form" />
    </div>
  );
}

function Said({
  status,
  at,
}: {
  status: { text: string; bad?: boolean; at: string } | undefined;
  at: string;
}) {
  const mine = status?.at === at ? status : undefined;
  return (
    <p role="status" class={mine?.bad ? "failure" : "hint"}>
      {mine?.text ?? ""}
    </p>
  );
}

function DeviceList({
  devices,
  current,
  onChange,
}: {
  devices: Device[];
  current: string | undefined;
  onChange: () => void;
}) {
  const [error, setError] = useState<string | undefined>();
  const revoke = async (device: Device) => {
    const self = device.id === current;
    const sure = confirm(
      self
        ? `Revoke ${device.name}? This is the device you are using: it will be unpaired at once.`
        : `Revoke ${device.name} (${device.id})? It will be unpaired at once.`,
    );
    if (!sure) return;
    try {
      await post(`/devices/${device.id}/revoke`);
      onChange();
    } catch (e) {
      setError(message(e));
    }
  };
  if (devices.length === 0) return <p class="empty">No paired devices.</p>;
  return (
    <>
      {error ? <p role="alert">{error}</p> : null}
      <ul class="devices">
        {devices.map((d) => (
          <li key={d.id}>
            <div>
              <strong>{d.name}</strong> <span class="id">{d.id}</span>
              {d.id === current ? <span class="this"> (this device)</span> : null}
              <br />
              <span class="hint">
                paired {when(d.pairedAt)}
                {d.revokedAt
                  ? ` · revoked ${when(d.revokedAt)}`
                  : d.lastUsedAt
                    ? ` · last used ${when(d.lastUsedAt)}`
                    : ""}
              </span>
            </div>
            {d.revokedAt ? null : (
              <button
                type="button"
                class="reject"
                onClick={() => void revoke(d)}
                aria-label={`Revoke ${d.name}`}
              >
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
