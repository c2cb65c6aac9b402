import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { type ApiError, get } from "../../api";
import { useLive } from "../../live";
import { TaskCard } from "./card";
import { CreateTask } from "./create-form";
import { type Filters, matches, readFilters, writeFilters } from "./filters";
import { firstLane, LANES, type LaneId, laneOf, sortLane } from "./lanes";
import type { Task } from "./types";

/**
 * Every task by status, filtered by queue, agent, tag and text. On a desktop
 * the columns stand side by side; on a phone one shows at a time, picked with
 * the switcher above it (the CSS hides the others).
 */
export function BoardList() {
  const [tasks, setTasks] = useState<Task[] | undefined>();
  const [queues, setQueues] = useState<string[]>([]);
  const [agents, setAgents] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [filters, setFiltersState] = useState<Filters>(() => readFilters());
  // The URL changes with the filters at once, so a link copied (or a reload) right after keeps them.
  const setFilters = (next: Filters) => {
    setFiltersState(next);
    writeFilters(next);
  };

  const reload = useCallback(() => {
    get<{ tasks: Task[] }>("/tasks?status=all&cost=true")
      .then(({ tasks }) => {
        setTasks(tasks);
        setError(undefined);
      })
      .catch((e: ApiError) => setError(e.message));
  }, []);
  useEffect(() => {
    reload();
    get<{ queues: { queue: string }[] }>("/queues")
      .then(({ queues }) => setQueues(queues.map((q) => q.queue)))
      .catch(() => undefined);
    get<{ agents: { name: string; kind: string }[] }>("/agents")
      .then(({ agents }) => setAgents(agents.filter((a) => a.kind !== "human").map((a) => a.name)))
      .catch(() => undefined);
  }, []);
  useLive((e) => e.type.startsWith("task.") || e.type.startsWith("cost."), reload);
  useEffect(() => writeFilters(filters), []);

  const set = (key: keyof Filters) => (event: Event) =>
    setFilters({ ...filters, [key]: (event.currentTarget as HTMLInputElement).value });

  const byId = useMemo(() => new Map((tasks ?? []).map((t) => [t.id, t])), [tasks]);
  const lanes = useMemo(() => {
    const grouped = new Map<LaneId, Task[]>(LANES.map((l) => [l.id, []]));
    for (const task of tasks ?? []) if (matches(task, filters)) grouped.get(laneOf(task, byId))!.push(task);
    return LANES.map((lane) => ({ ...lane, tasks: sortLane(lane.id, grouped.get(lane.id)!) }));
  }, [tasks, filters, byId]);
  const tags = useMemo(() => [...new Set((tasks ?? []).flatMap((t) => t.tags))].sort(), [tasks]);
  const people = useMemo(
    () =>
      [...new Set([...agents, ...(tasks ?? []).flatMap((t) => [t.assignee, t.holder])])]
        .filter((n): n is string => !!n)
        .sort(),
    [agents, tasks],
  );
  const currentLane = filters.lane || firstLane(lanes);
  const shown = lanes.reduce((n, lane) => n + lane.tasks.length, 0);
  const filtered = filters.queue || filters.agent || filters.tag || filters.q;

  return (
    <section class="board" aria-labelledby="board-title">
      <h1 id="board-title">Board</h1>
      <CreateTask queues={queues} agents={agents} onCreated={reload} />
      <form class="filters" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
        <div class="field grow">
          <label for="filter-q">Search</label>
          <input
            id="filter-q"
            type="search"
            value={filters.q}
            onInput={set("q")}
            placeholder="id, title or text"
          />
        </div>
        <div class="field">
          <label for="filter-queue">Queue</label>
          <select id="filter-queue" value={filters.queue} onChange={set("queue")}>
            <option value="">all</option>
            {queues.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-agent">Agent</label>
          <select id="filter-agent" value={filters.agent} onChange={set("agent")}>
            <option value="">anyone</option>
            {people.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-tag">Tag</label>
          <select id="filter-tag" value={filters.tag} onChange={set("tag")}>
            <option value="">any</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </div>
        {filtered ? (
          <button
            type="button"
            onClick={() => setFilters({ ...filters, queue: "", agent: "", tag: "", q: "" })}
          >
            Clear
          </button>
        ) : null}
      </form>
      {error ? <p role="alert">{error}</p> : null}
      {!tasks ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <>
          <p class="hint" role="status">
            {shown} of {tasks.length} tasks{filtered ? " match the filters" : ""}
          </p>
          <fieldset class="lane-switch">
            <legend class="sr-only">Show the column</legend>
            {lanes.map((lane) => (
              <button
                key={lane.id}
                type="button"
                aria-pressed={currentLane === lane.id}
                onClick={() => setFilters({ ...filters, lane: lane.id })}
              >
                {lane.label} <span class="n">{lane.tasks.length}</span>
              </button>
            ))}
          </fieldset>
          <div class="lanes">
            {lanes.map((lane) => (
              <section
                key={lane.id}
                class={`lane lane-${lane.id}${currentLane === lane.id ? " current" : ""}`}
                aria-labelledby={`lane-${lane.id}`}
              >
                <h2 id={`lane-${lane.id}`}>
                  {lane.label} <span class="n">{lane.tasks.length}</span>
                </h2>
                {lane.tasks.length === 0 ? <p class="empty">None.</p> : null}
                <ol class="cards">
                  {lane.tasks.map((task) => (
                    <li key={task.id}>
                      <TaskCard task={task} byId={byId} />
                    </li>
                  ))}
                </ol>
              </section>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
