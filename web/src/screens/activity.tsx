import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, get } from "../api";
import type { ScreenProps } from "../app";
import { type LiveEvent, useEvents } from "../live";
import { EventRow } from "./activity/event-row";
import { type Filters, filterQuery, filtersFromUrl, matches, TYPE_PREFIXES } from "./activity/filters";
import "./activity/activity.css";

const PAGE = 50;

/**
 * The event log, newest first: what every agent and human did. New events come
 * in at the top as the hub writes them; older ones a page at a time. The
 * filters live in the URL (`/activity?agent=claude-1&type=task.`), so a
 * filtered view can be shared or kept.
 */
export default function Activity(_props: ScreenProps) {
  const [filters, setFilters] = useState<Filters>(() => filtersFromUrl(location.search));
  const [events, setEvents] = useState<LiveEvent[] | undefined>();
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [agents, setAgents] = useState<string[]>([]);
  const current = useRef(filters);
  current.current = filters;

  const load = useCallback((next: Filters, before?: number) => {
    const q = filterQuery(next);
    q.set("limit", String(PAGE));
    if (before !== undefined) q.set("before", String(before));
    get<{ events: LiveEvent[] }>(`/events?${q}`)
      .then(({ events: page }) => {
        if (current.current !== next) return; // the filters changed while this page was on its way
        const newestFirst = page.reverse();
        setEvents((shown) => {
          if (before !== undefined) return [...(shown ?? []), ...newestFirst];
          // Live events that came while this page was on its way stay on top of it.
          const top = newestFirst[0]?.seq ?? -1;
          return [...(shown ?? []).filter((e) => e.seq > top), ...newestFirst];
        });
        setMore(page.length === PAGE);
        setError(undefined);
      })
      .catch((e: ApiError) => setError(`${e.message}. ${e.hint}`));
  }, []);

  useEffect(() => {
    const q = filterQuery(filters).toString();
    history.replaceState(null, "", q ? `/activity?${q}` : "/activity");
    setEvents(undefined);
    setFresh(new Set());
    load(filters);
  }, [filters]);

  useEffect(() => {
    get<{ agents: { name: string }[] }>("/agents")
      .then(({ agents: list }) => setAgents(list.map((a) => a.name).sort()))
      .catch(() => undefined);
  }, []);

  useEvents((batch) => {
    if (batch.some((e) => e.type === "reset")) {
      load(current.current);
      return;
    }
    const arrived = batch.filter((e) => matches(e, current.current));
    if (arrived.length === 0) return;
    setEvents((shown) => {
      const top = shown?.[0]?.seq ?? -1;
      return [...arrived.filter((e) => e.seq > top).reverse(), ...(shown ?? [])];
    });
    setFresh((was) => new Set([...was, ...arrived.map((e) => e.seq)]));
  });

  const set = (change: Partial<Filters>) => setFilters({ ...current.current, ...change });
  const filtered = Boolean(filters.agent || filters.type || filters.task);
  return (
    <section class="activity" aria-labelledby="activity-title">
      <h1 id="activity-title">Activity</h1>
      <form
        class="filters"
        aria-label="Filter the activity"
        onSubmit={(e) => {
          e.preventDefault();
          const task = new FormData(e.currentTarget).get("task");
          set({ task: String(task ?? "").trim() });
        }}
      >
        <div class="field">
          <label for="filter-agent">Agent</label>
          <select
            id="filter-agent"
            value={filters.agent}
            onChange={(e) => set({ agent: (e.target as HTMLSelectElement).value })}
          >
            <option value="">Anyone</option>
            {[...new Set([...agents, ...(filters.agent ? [filters.agent] : [])])].map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-type">Type</label>
          <select
            id="filter-type"
            value={filters.type}
            onChange={(e) => set({ type: (e.target as HTMLSelectElement).value })}
          >
            <option value="">Any</option>
            {[...new Set([...TYPE_PREFIXES, ...(filters.type ? [filters.type] : [])])].map((type) => (
              <option key={type} value={type}>
                {type.endsWith(".") ? `${type}*` : type}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-task">Task or subject</label>
          <input
            id="filter-task"
            name="task"
            defaultValue={filters.task}
            placeholder="T-3"
            maxLength={1024}
          />
        </div>
        <div class="filter-actions">
          <button type="submit">Filter</button>
          {filtered ? (
            <button type="button" onClick={() => setFilters({ agent: "", type: "", task: "" })}>
              Clear
            </button>
          ) : null}
        </div>
      </form>
      {error ? <p role="alert">{error}</p> : null}
      {!events && !error ? <p aria-busy="true">Loading…</p> : null}
      {events?.length === 0 ? (
        <p class="empty">{filtered ? "No events match these filters." : "Nothing has happened yet."}</p>
      ) : null}
      <ol class="events">
        {(events ?? []).map((event) => (
          <li key={event.seq}>
            <EventRow event={event} fresh={fresh.has(event.seq)} />
          </li>
        ))}
      </ol>
      {more && events?.length ? (
        <button type="button" class="older" onClick={() => load(current.current, events.at(-1)!.seq)}>
          Show older events
        </button>
      ) : null}
    </section>
  );
}
