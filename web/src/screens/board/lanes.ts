import type { Task } from "./types";

/**
 * The board's columns. Open tasks are split by what they wait for: `ready`
 * can be claimed now, `waiting` has a dependency not done yet (or one that
 * failed, so it never starts by itself); failed and dead share a column, both
 * being work that ended without success.
 */
export const LANES = [
  { id: "waiting", label: "Waiting" },
  { id: "ready", label: "Ready" },
  { id: "claimed", label: "In progress" },
  { id: "done", label: "Done" },
  { id: "failed", label: "Failed" },
  { id: "cancelled", label: "Cancelled" },
] as const;

export type LaneId = (typeof LANES)[number]["id"];

/** What an open task waits on: dependencies not done, by the statuses the board knows. */
export function waitingOn(task: Task, byId: Map<string, Task>): string[] {
  return task.dependsOn.filter((id) => byId.get(id)?.status !== "done");
}

export function laneOf(task: Task, byId: Map<string, Task>): LaneId {
  switch (task.status) {
    case "open":
      return task.blockedBy.length > 0 || waitingOn(task, byId).length > 0 ? "waiting" : "ready";
    case "claimed":
      return "claimed";
    case "done":
      return "done";
    case "cancelled":
      return "cancelled";
    default:
      return "failed";
  }
}

/** Unfinished work by priority then age; finished work newest first. */
export function sortLane(lane: LaneId, tasks: Task[]): Task[] {
  const finished = lane === "done" || lane === "failed" || lane === "cancelled";
  return [...tasks].sort((a, b) =>
    finished ? b.updatedAt - a.updatedAt : a.priority - b.priority || a.seq - b.seq,
  );
}

/** The column a phone shows first: where the work is (ready, then in progress, then waiting). */
export function firstLane(lanes: { id: LaneId; tasks: unknown[] }[]): LaneId {
  for (const id of ["ready", "claimed", "waiting", "done", "failed", "cancelled"] as const) {
    if (lanes.find((lane) => lane.id === id)?.tasks.length) return id;
  }
  return "ready";
}
