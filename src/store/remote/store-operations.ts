import type { Store } from "../port.js";

/** The operations of the store port: every member of Store but what describes the store itself. */
export type StoreOperation = Exclude<keyof Store, "backend" | "location" | "notifier" | "close">;

/**
 * Every operation the hub serves over its socket, and whether it changes state.
 * Only these are callable: a request naming anything else (`close`,
 * `constructor`, `__proto__`) is refused. Typed as a Record over the port, so
 * adding an operation to Store without listing it here does not compile.
 *
 * `write` matters when the connection breaks with the request in flight: a read
 * changed nothing, a write may or may not have been committed.
 */
export const STORE_OPERATIONS = {
  joinAgent: "write",
  heartbeat: "write",
  leaveAgent: "write",
  listAgents: "read",
  removeAgent: "write",
  addTask: "write",
  getTask: "read",
  listTasks: "read",
  claimTask: "write",
  completeTask: "write",
  failTask: "write",
  releaseTask: "write",
  assignTask: "write",
  addDependency: "write",
  removeDependency: "write",
  amendTask: "write",
  cancelTask: "write",
  editTask: "write",
  reopenTask: "write",
  acquireLeases: "write",
  releaseLeases: "write",
  forceReleaseLeases: "write",
  listLeases: "read",
  addChannel: "write",
  listChannels: "read",
  sendMessage: "write",
  readMessages: "write",
  getThread: "read",
  askQuestion: "write",
  answerQuestion: "write",
  getQuestion: "read",
  listQuestions: "read",
  requestApproval: "write",
  decideApproval: "write",
  getApproval: "read",
  listApprovals: "read",
  escalateTask: "write",
  listEscalations: "read",
  resolveEscalation: "write",
  openSummaryRound: "write",
  writeSummaryEntry: "write",
  getSummaryRound: "read",
  listSummaryDays: "read",
  saveSummaryReport: "write",
  appendEvent: "write",
  listEvents: "read",
  sweep: "write",
} as const satisfies Record<StoreOperation, "read" | "write">;

export function isStoreOperation(name: unknown): name is StoreOperation {
  return typeof name === "string" && Object.hasOwn(STORE_OPERATIONS, name);
}
