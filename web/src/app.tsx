import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, whenUnauthorized } from "./api";
import { live, useConnection } from "./live";
import { OfflineBanner } from "./parts/offline-banner";
import { WaitingCount } from "./parts/waiting-count";
import { onLinkClick, usePath } from "./router";
import { Inbox } from "./screens/inbox";
import { Unpaired } from "./screens/unpaired";
import { loadSession, type Session } from "./session";

/** What every screen is given: the path's segments after its own name, and who is looking. */
export interface ScreenProps {
  rest: string[];
  session: Session;
}

type Loader = () => Promise<{ default: ComponentType<ScreenProps> }>;

/**
 * The screens after the first are loaded when first opened, so the inbox (the
 * home screen, what a phone opens from a notification) ships alone.
 */
const SCREENS: { path: string; label: string; load?: Loader }[] = [
  { path: "inbox", label: "Inbox" },
  { path: "board", label: "Board", load: () => import("./screens/board") },
  { path: "agents", label: "Agents", load: () => import("./screens/agents") },
  { path: "channels", label: "Channels", load: () => import("./screens/channels") },
  { path: "activity", label: "Activity", load: () => import("./screens/activity") },
  { path: "summary", label: "Summary", load: () => import("./screens/summary") },
  { path: "settings", label: "Settings", load: () => import("./screens/settings") },
];

const loaded = new Map<string, ComponentType<ScreenProps>>();

function LazyScreen({ name, load, props }: { name: string; load: Loader; props: ScreenProps }) {
  const [Screen, setScreen] = useState<ComponentType<ScreenProps> | undefined>(() => loaded.get(name));
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (Screen) return;
    load()
      .then((module) => {
        loaded.set(name, module.default);
        setScreen(() => module.default);
      })
      .catch(() => setFailed(true));
  }, [name]);
  if (failed) return <p role="alert">This screen could not be loaded: check the connection and reload.</p>;
  if (!Screen) return <p aria-busy="true">Loading…</p>;
  return <Screen {...props} />;
}

/** How often a page that opened offline asks the hub again. */
const OFFLINE_RETRY_MS = 3000;

type Boot =
  | { kind: "loading" }
  | { kind: "offline" }
  | { kind: "paired"; session: Session }
  | { kind: "unpaired"; error?: ApiError };

export function App() {
  const [boot, setBoot] = useState<Boot>({ kind: "loading" });
  const path = usePath();
  const connection = useConnection();

  useEffect(() => {
    whenUnauthorized((error) => setBoot({ kind: "unpaired", error }));
    live.onRefused = () => setBoot({ kind: "unpaired" });
    if (location.pathname === "/pair") return;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const start = () => {
      loadSession()
        .then((session) => {
          setBoot({ kind: "paired", session });
          live.start();
        })
        .catch((error: unknown) => {
          if (error instanceof ApiError && (error.status === 401 || error.status === 403))
            setBoot({ kind: "unpaired", error });
          else {
            // No hub to ask (offline, or it is restarting): say so and try again, never "not paired".
            setBoot({ kind: "offline" });
            retry = setTimeout(start, OFFLINE_RETRY_MS);
          }
        });
    };
    start();
    const online = () => {
      clearTimeout(retry);
      start();
    };
    window.addEventListener("online", online);
    return () => {
      clearTimeout(retry);
      window.removeEventListener("online", online);
    };
  }, []);

  if (path === "/pair") return <Unpaired pairing />;
  if (boot.kind === "loading") return <p class="boot">Loading baton…</p>;
  if (boot.kind === "offline")
    return (
      <p class="boot banner offline" role="status">
        Offline: the hub cannot be reached. baton tries again by itself.
      </p>
    );
  if (boot.kind === "unpaired") return <Unpaired error={boot.error} />;

  const segments = path.split("/").filter(Boolean);
  const current = SCREENS.find((s) => s.path === (segments[0] ?? "inbox")) ?? SCREENS[0]!;
  const props: ScreenProps = { rest: segments.slice(1), session: boot.session };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: one delegated handler for the app's own links; each is a real <a>
    // biome-ignore lint/a11y/useKeyWithClickEvents: links are activated by keyboard as clicks
    <div class="shell" onClick={onLinkClick}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand" aria-hidden="true">
          baton
        </span>
        <nav aria-label="Screens">
          <ul>
            {SCREENS.map((s) => (
              <li key={s.path}>
                <a href={`/${s.path}`} aria-current={s === current ? "page" : undefined}>
                  {s.label}
                  {s.path === "inbox" ? <WaitingCount /> : null}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who" title={boot.session.device?.name ?? ""}>
          {boot.session.name}
        </span>
      </header>
      <OfflineBanner state={connection} />
      <main id="main" tabIndex={-1}>
        {current.load ? (
          <LazyScreen key={current.path} name={current.path} load={current.load} props={props} />
        ) : (
          <Inbox {...props} />
        )}
      </main>
    </div>
  );
}
