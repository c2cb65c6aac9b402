import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError, get, post } from "../api";
import type { ScreenProps } from "../app";
import { useLive } from "../live";
import { navigate } from "../router";
import { when } from "../time";
import { Markdown } from "./summary/markdown";
import "./summary/summary.css";

interface Round {
  day: string;
  openedBy: string;
  openedAt: number;
  collectedAt: number | null;
  report: string | null;
  entries: { agent: string; at: number; text: string }[];
}

interface Status {
  written: { agent: string; at: number }[];
  missing: string[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Today as the hub names days: the local calendar day, YYYY-MM-DD. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

type State =
  | { kind: "loading" }
  | { kind: "none"; hint: string }
  | { kind: "round"; round: Round; status: Status | undefined }
  | { kind: "failed"; error: ApiError };

/**
 * The daily summary (`baton summary`): a day's collected report, or the
 * entries written so far and who has yet to write. `/summary/2026-11-21`
 * opens a day; `/summary` is today.
 */
export default function Summary({ rest }: ScreenProps) {
  const day = rest[0] && DAY.test(rest[0]) ? rest[0] : today();
  const [state, setState] = useState<State>({ kind: "loading" });
  const [days, setDays] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | undefined>();

  const reload = useCallback(() => {
    get<{ days: string[] }>("/summary/days")
      .then(({ days: list }) => setDays(list))
      .catch(() => undefined);
    Promise.all([
      get<{ round: Round }>(`/summary?day=${day}`),
      get<Status>(`/summary/status?day=${day}`).catch(() => undefined),
    ])
      .then(([{ round }, status]) => setState({ kind: "round", round, status }))
      .catch((error: ApiError) =>
        setState(
          error instanceof ApiError && error.code === "not_found"
            ? { kind: "none", hint: error.hint }
            : { kind: "failed", error },
        ),
      );
  }, [day]);
  useEffect(() => {
    setState({ kind: "loading" });
    reload();
  }, [day]);
  useLive((e) => e.type.startsWith("summary."), reload);

  const act = (path: string) => {
    setBusy(true);
    setFailure(undefined);
    post(path, { day })
      .then(reload)
      .catch((e: ApiError) => setFailure(e))
      .finally(() => setBusy(false));
  };

  return (
    <section class="summary" aria-labelledby="summary-title">
      <h1 id="summary-title">Summary</h1>
      <form class="day-picker" onSubmit={(e) => e.preventDefault()} aria-label="Choose a day">
        <label for="summary-day">Day</label>
        <input
          id="summary-day"
          type="date"
          value={day}
          max={today()}
          onChange={(e) => {
            const picked = (e.target as HTMLInputElement).value;
            if (DAY.test(picked)) navigate(`/summary/${picked}`);
          }}
        />
        {days.length > 0 ? (
          <nav aria-label="Days with a summary">
            <ul>
              {days.slice(0, 7).map((d) => (
                <li key={d}>
                  <a href={`/summary/${d}`} aria-current={d === day ? "page" : undefined}>
                    {d === today() ? "Today" : d}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </form>

      {state.kind === "loading" ? <p aria-busy="true">Loading…</p> : null}
      {state.kind === "failed" ? (
        <p role="alert">
          {state.error.message} <span class="hint">{state.error.hint}</span>
        </p>
      ) : null}
      {state.kind === "none" ? (
        <div class="empty-day">
          <p>No summary for {day} yet.</p>
          <button type="button" disabled={busy} onClick={() => act("/summary/trigger")}>
            Ask the team for {day === today() ? "today's" : "this day's"} summary
          </button>
        </div>
      ) : null}
      {state.kind === "round" ? (
        <RoundView
          round={state.round}
          status={state.status}
          busy={busy}
          onCollect={() => act("/summary/collect")}
        />
      ) : null}
      {failure ? (
        <p role="alert" class="failure">
          {failure.message} <span class="hint">{failure.hint}</span>
        </p>
      ) : null}
    </section>
  );
}

function RoundView({
  round,
  status,
  busy,
  onCollect,
}: {
  round: Round;
  status: Status | undefined;
  busy: boolean;
  onCollect: () => void;
}) {
  return (
    <>
      <p class="meta">
        Opened by {round.openedBy} at {when(round.openedAt)}
        {round.collectedAt ? `; report collected at ${when(round.collectedAt)}` : "; not collected yet"}.
        {status?.missing.length ? ` Still to write: ${status.missing.join(", ")}.` : ""}
      </p>
      {round.entries.length > 0 ? (
        <button type="button" disabled={busy} onClick={onCollect}>
          {round.report ? "Collect the report again" : "Collect the report"}
        </button>
      ) : null}
      {round.report ? (
        <article class="report" aria-label={`Report for ${round.day}`}>
          <Markdown text={round.report} />
        </article>
      ) : round.entries.length === 0 ? (
        <p class="empty">No one has written an entry yet.</p>
      ) : (
        round.entries.map((entry) => (
          <article class="entry" key={entry.agent} aria-labelledby={`entry-${entry.agent}`}>
            <h2 id={`entry-${entry.agent}`}>
              {entry.agent} <time dateTime={new Date(entry.at).toISOString()}>{when(entry.at)}</time>
            </h2>
            <Markdown text={entry.text} shift={2} />
          </article>
        ))
      )}
    </>
  );
}
