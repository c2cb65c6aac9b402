import { LANES, type LaneId } from "./lanes";
import type { Task } from "./types";

/** The board's filters, kept in the URL's query so a link (or a reload) keeps them. */
export interface Filters {
  queue: string;
  agent: string;
  tag: string;
  q: string;
  /** The column shown on a phone, where one column fits at a time; "" picks the first with work in it. */
  lane: LaneId | "";
}

const KEYS = ["queue", "agent", "tag", "q"] as const;

export function readFilters(search = location.search): Filters {
  const params = new URLSearchParams(search);
  const lane = params.get("lane");
  return {
    queue: params.get("queue") ?? "",
    agent: params.get("agent") ?? "",
    tag: params.get("tag") ?? "",
    q: params.get("q") ?? "",
    lane: LANES.some((l) => l.id === lane) ? (lane as LaneId) : "",
  };
}

export function filtersQuery(filters: Filters): string {
  const params = new URLSearchParams();
  for (const key of KEYS) if (filters[key].trim()) params.set(key, filters[key].trim());
  if (filters.lane) params.set("lane", filters.lane);
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** The board's query last written: the detail page's way back keeps the filters. */
let lastQuery = "";
export function boardLink(): string {
  return `/board${lastQuery}`;
}

/** Replaces the URL's query (no new history entry per keystroke). */
export function writeFilters(filters: Filters): void {
  lastQuery = filtersQuery(filters);
  const next = `/board${lastQuery}`;
  if (next !== location.pathname + location.search) history.replaceState(null, "", next);
}

export function matches(task: Task, filters: Filters): boolean {
  if (filters.queue && task.queue !== filters.queue) return false;
  const agent = filters.agent.trim().toLowerCase();
  if (agent && ![task.assignee, task.holder].some((name) => name?.toLowerCase() === agent)) return false;
  const tag = filters.tag.trim().toLowerCase();
  if (tag && !task.tags.some((t) => t.toLowerCase() === tag)) return false;
  const q = filters.q.trim().toLowerCase();
  if (q && !`${task.id}\n${task.title}\n${task.body}`.toLowerCase().includes(q)) return false;
  return true;
}
