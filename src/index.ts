/**
 * baton's library API. Everything exported here is public and stable within a
 * major version; files not reached from here are internal.
 *
 *   import { openWorkspace } from "baton";
 *   await using ws = await openWorkspace({ as: "alice" });
 *   const { task, token } = await ws.tasks.claim();
 */
export { type Clock, ManualClock, systemClock } from "./clock.js";
export type { BatonConfig, ClaimPolicy, QueueConfig } from "./domain/config.js";
export { patternsOverlap } from "./domain/lease-pattern.js";
export type {
  Agent,
  AgentKind,
  AgentStatus,
  AgentView,
  BatonEvent,
  Lease,
  LeaseConflict,
  Remark,
  Task,
  TaskDetail,
  TaskStatus,
} from "./domain/types.js";
export { BatonError, type ErrorCode, type ErrorShape } from "./errors.js";
export type { HeldLeases, LockOptions, LockResult } from "./services/lease-service.js";
export type { AddTaskOptions, ClaimOptions, ListTaskOptions } from "./services/task-service.js";
export { type OpenWorkspaceOptions, openWorkspace, Workspace } from "./services/workspace.js";
export type * from "./store/port.js";
export { connectHub } from "./store/remote/connect-hub.js";
export { hubSocketPath } from "./store/remote/protocol.js";
export { RemoteStore } from "./store/remote/remote-store.js";
export { SqliteStore, type SqliteStoreOptions } from "./store/sqlite/sqlite-store.js";
export { formatDuration, parseDuration } from "./util/duration.js";
export { initWorkspaceFiles } from "./workspace/init.js";
