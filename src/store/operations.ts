import type { Store } from "./port.js";

/** The operations of the store port (what a backend implements and the hub serves). */
export type StoreOperation = Exclude<keyof Store, "backend" | "location" | "notifier" | "close">;

/**
 * What each operation does to the state: `read` changes nothing a caller
 * waits on, `write` commits a change (its events drive the outbox), `outbox` is
 * the outbox's own bookkeeping. A Record over every operation, so a new one
 * does not compile until it is placed here. The hub serves exactly these over
 * its socket (a request naming anything else, `close` or `__proto__`, is
 * refused), and a request in flight when the connection breaks may have been
 * applied unless it is a read.
 */
export const STORE_OPERATIONS: Record<StoreOperation, "read" | "write" | "outbox"> = {
  joinAgent: "write",
  heartbeat: "write",
  reportActivity: "write",
  leaveAgent: "write",
  listAgents: "read",
  pendingWork: "read",
  removeAgent: "write",
  recordCost: "write",
  costTotals: "read",
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
  listMessages: "read",
  unreadCounts: "read",
  askQuestion: "write",
  answerQuestion: "write",
  getQuestion: "read",
  listQuestions: "read",
  requestApproval: "write",
  decideApproval: "write",
  expireApproval: "write",
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
  createKey: "write",
  listKeys: "read",
  revokeKey: "write",
  createPairing: "write",
  redeemPairing: "write",
  listDevices: "read",
  revokeDevice: "write",
  // A lookup per request; it records the last use at most every 10 s, which nothing waits on.
  useKey: "read",
  useDevice: "read",
  savePushSubscription: "write",
  removePushSubscription: "write",
  getPushSubscription: "read",
  getPushSettings: "read",
  savePushSettings: "write",
  listPushTargets: "read",
  // What was pushed is the notifier's own bookkeeping: nobody waits on it.
  claimPush: "outbox",
  outboxPending: "outbox",
  takeOutbox: "outbox",
  finishOutbox: "outbox",
  listUnfinishedOutbox: "outbox",
};

export function isStoreOperation(name: unknown): name is StoreOperation {
  return typeof name === "string" && Object.hasOwn(STORE_OPERATIONS, name);
}

/**
 * The store with `after` run once each write has committed (not after a dry
 * run): the one after-commit path of a process, wherever the write came from.
 */
export function withAfterCommit(store: Store, after: () => Promise<void>): Store {
  const wrapped = Object.create(store) as Store;
  for (const [name, kind] of Object.entries(STORE_OPERATIONS) as [StoreOperation, string][]) {
    if (kind !== "write") continue;
    const op = (store[name] as (input: { dryRun?: boolean }) => Promise<unknown>).bind(store);
    Object.defineProperty(wrapped, name, {
      value: async (input: { dryRun?: boolean }) => {
        const result = await op(input);
        if (input?.dryRun !== true) await after();
        return result;
      },
    });
  }
  return wrapped;
}
