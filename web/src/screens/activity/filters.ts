import type { LiveEvent } from "../../live";

/** The activity screen's filters, as the event list takes them (GET /api/v1/events) and as the URL keeps them. */
export interface Filters {
  agent: string;
  /** An exact type, or a prefix ending in "." (task.). */
  type: string;
  task: string;
}

export const NO_FILTERS: Filters = { agent: "", type: "", task: "" };

/** The families of events baton writes, for the type menu (a typed value works too). */
export const TYPE_PREFIXES = [
  "task.",
  "agent.",
  "message.",
  "lease.",
  "question.",
  "approval.",
  "escalation.",
  "summary.",
  "channel.",
  "cost.",
  "decision",
];

export function filtersFromUrl(search: string): Filters {
  const q = new URLSearchParams(search);
  return { agent: q.get("agent") ?? "", type: q.get("type") ?? "", task: q.get("task") ?? "" };
}

/** The query both the API and the page's URL take: only the filters that are set. */
export function filterQuery(filters: Filters): URLSearchParams {
  const q = new URLSearchParams();
  if (filters.agent) q.set("agent", filters.agent);
  if (filters.type) q.set("type", filters.type);
  if (filters.task) q.set("task", filters.task);
  return q;
}

/** Whether a live event passes the filters, as the hub decides it for a list. */
export function matches(event: LiveEvent, filters: Filters): boolean {
  if (filters.agent && event.actor !== filters.agent) return false;
  if (filters.type) {
    if (filters.type.endsWith(".") ? !event.type.startsWith(filters.type) : event.type !== filters.type)
      return false;
  }
  if (filters.task && event.subject !== filters.task) return false;
  return true;
}
