import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type Clock, systemClock } from "../../clock.js";
import { patternsOverlap } from "../../domain/lease-pattern.js";
import { checkStoreInput } from "../../domain/limits.js";
import { CHANGED, type Notifier } from "../../notify/notifier.js";
import { SocketNotifier, wakeDirFor } from "../../notify/socket-notifier.js";
import type { Store } from "../port.js";
import { Connection } from "./connection.js";
import { type GroupCommitStats, GroupCommitter } from "./group-commit.js";
import { acquireLeases } from "./ops/acquire-leases.js";
import { addTask } from "./ops/add-task.js";
import { heartbeat, joinAgent, leaveAgent, listAgents, pendingWork, reportActivity } from "./ops/agents.js";
import {
  createKey,
  createPairing,
  findLiveDevice,
  findLiveKey,
  listDevices,
  listKeys,
  recordDeviceUse,
  recordKeyUse,
  redeemPairing,
  revokeDevice,
  revokeKey,
} from "./ops/auth.js";
import { claimTask } from "./ops/claim-task.js";
import { costTotals, recordCost } from "./ops/costs.js";
import {
  addDependency,
  amendTask,
  assignTask,
  cancelTask,
  editTask,
  removeDependency,
  reopenTask,
} from "./ops/edit-task.js";
import { appendUserEvent, listEvents, sweep } from "./ops/events.js";
import { completeTask, failTask, releaseTask } from "./ops/finish-task.js";
import { getTask, listTasks } from "./ops/get-task.js";
import {
  answerQuestion,
  askQuestion,
  decideApproval,
  expireApproval,
  getApproval,
  getQuestion,
  listApprovals,
  listQuestions,
  requestApproval,
} from "./ops/human.js";
import { listMessages, unreadCounts } from "./ops/message-pages.js";
import { addChannel, getThread, listChannels, readMessages, sendMessage } from "./ops/messages.js";
import { finishOutbox, listUnfinishedOutbox, outboxPending, takeOutbox } from "./ops/outbox.js";
import {
  claimPush,
  getPushSettings,
  getPushSubscription,
  listPushTargets,
  removePushSubscription,
  savePushSettings,
  savePushSubscription,
} from "./ops/push.js";
import { forceReleaseLeases, releaseLeases } from "./ops/release-leases.js";
import { removeAgent } from "./ops/remove-agent.js";
import { escalateTask, listEscalations, resolveEscalation } from "./ops/routing.js";
import {
  getSummaryRound,
  listSummaryDays,
  openSummaryRound,
  saveSummaryReport,
  writeSummaryEntry,
} from "./ops/summary.js";
import { type LeaseRow, toLease } from "./rows.js";
import { storeError } from "./sqlite-errors.js";
import {
  hasExpiredWork,
  sweepExpiredApprovals,
  sweepExpiredClaims,
  sweepExpiredLeases,
  type Tx,
} from "./tx.js";

export interface SqliteStoreOptions {
  path: string;
  clock?: Clock;
  /** Wake-ups after commit; default: Unix sockets beside the other processes that open this file. */
  notifier?: Notifier;
  /**
   * Run concurrent writes together in one transaction, each in its own savepoint
   * (group-commit.ts). For the hub server, the one writer of the store; a CLI
   * command makes one write at a time and gains nothing from it.
   */
  groupCommit?: boolean;
}

/** The actor recorded for expiries found while reading. */
const SWEEPER = "guardian";
/** The actor of baton's own bookkeeping on access (a key's last use, a redeemed link): no agent acts. */
const ACCESS = "baton";

/**
 * The embedded backend: one SQLite file, each port operation one transaction.
 * The SQLite drivers are synchronous; the port is async so that networked backends
 * (Redis, the hub over a socket) fit the same shape.
 */
export class SqliteStore implements Store {
  readonly backend = "sqlite";
  private readonly conn: Connection;
  private readonly clock: Clock;
  readonly notifier: Notifier;
  private readonly group: GroupCommitter | undefined;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(dirname(options.path), { recursive: true });
    this.conn = new Connection(options.path);
    this.clock = options.clock ?? systemClock;
    this.notifier = options.notifier ?? new SocketNotifier(wakeDirFor(this.location));
    this.group = options.groupCommit
      ? new GroupCommitter(
          this.conn,
          (error) => storeError(error, this.conn.path),
          (wake) => this.notifier.notify([CHANGED, ...wake]),
        )
      : undefined;
  }

  /** How many transactions group commit made and how many operations ran in them (undefined: not grouping). */
  get groupCommitStats(): GroupCommitStats | undefined {
    return this.group && { ...this.group.stats };
  }

  get location(): string {
    return `sqlite:${this.conn.path}`;
  }

  private tx(actor: string): Tx {
    return { conn: this.conn, now: this.clock.now(), actor, wake: new Set() };
  }

  /**
   * The one way a change is made: the operation in one transaction, then, once
   * committed, a wake-up for every topic it touched and for CHANGED. No service
   * notifies by itself, so none can forget to.
   */
  private async write<I extends { actor: string; dryRun?: boolean }, O>(
    input: I,
    op: (tx: Tx, input: I) => O,
    options: { quiet?: boolean } = {},
  ): Promise<O> {
    checkStoreInput(input);
    const tx = this.tx(input.actor);
    const dryRun = input.dryRun === true;
    // A dry run is rolled back, so it cannot share a transaction with writes that are kept.
    if (this.group && !dryRun) {
      const group = this.group;
      return new Promise<O>((resolve, reject) =>
        group.submit({ tx, run: () => op(tx, input), resolve: resolve as (value: unknown) => void, reject }),
      );
    }
    const result = await this.translated(() => this.conn.write(() => op(tx, input), dryRun));
    if (!dryRun && !options.quiet) await this.afterCommit(tx);
    return result;
  }

  private async afterCommit(tx: Tx): Promise<void> {
    await this.notifier.notify([CHANGED, ...tx.wake]);
  }

  /** A full disk, a read-only file, a damaged page: named for what they are (sqlite-errors.ts), not as bugs. */
  private async translated<O>(run: () => Promise<O>): Promise<O> {
    try {
      return await run();
    } catch (error) {
      throw storeError(error, this.conn.path);
    }
  }

  /**
   * Reads present the state as it is now: if anything has expired since the
   * last write, a sweep commits first, so a read never shows a dead claim.
   */
  private async read<O>(op: (tx: Tx) => O): Promise<O> {
    const now = this.clock.now();
    if (await this.translated(() => this.conn.read(() => hasExpiredWork(this.conn, now)))) {
      const tx = this.tx(SWEEPER);
      await this.translated(() =>
        this.conn.write(() => {
          sweepExpiredClaims(tx);
          sweepExpiredLeases(tx);
          sweepExpiredApprovals(tx);
        }),
      );
      await this.afterCommit(tx);
    }
    return this.translated(() => this.conn.read(() => op(this.tx(SWEEPER))));
  }

  async close() {
    await this.group?.idle();
    await this.notifier.close();
    await this.translated(async () => this.conn.close());
  }

  joinAgent: Store["joinAgent"] = (input) =>
    this.write(input, (tx, i) => {
      joinAgent(tx, i);
      // Just seen, so neither hung nor offline; computed in the same transaction so a dry run shows it too.
      const fresh = { hungAfterMs: Number.MAX_SAFE_INTEGER, offlineAfterMs: Number.MAX_SAFE_INTEGER };
      return listAgents(tx, fresh).find((agent) => agent.name === tx.actor)!;
    });
  heartbeat: Store["heartbeat"] = (input) => this.write(input, heartbeat);
  reportActivity: Store["reportActivity"] = (input) => this.write(input, reportActivity);
  leaveAgent: Store["leaveAgent"] = (input) => this.write(input, leaveAgent);
  listAgents: Store["listAgents"] = (input) => this.read((tx) => listAgents(tx, input));
  pendingWork: Store["pendingWork"] = (input) => this.read((tx) => pendingWork(tx, input));
  removeAgent: Store["removeAgent"] = (input) => this.write(input, removeAgent);
  recordCost: Store["recordCost"] = (input) => this.write(input, recordCost);
  costTotals: Store["costTotals"] = (input) => this.read((tx) => costTotals(tx, input));

  addTask: Store["addTask"] = (input) => this.write(input, addTask);
  getTask: Store["getTask"] = (input) => this.read((tx) => getTask(tx, input.id));
  listTasks: Store["listTasks"] = (input) => this.read((tx) => listTasks(tx, input));
  claimTask: Store["claimTask"] = (input) => this.write(input, claimTask);
  completeTask: Store["completeTask"] = (input) => this.write(input, completeTask);
  failTask: Store["failTask"] = (input) => this.write(input, failTask);
  releaseTask: Store["releaseTask"] = (input) => this.write(input, releaseTask);
  assignTask: Store["assignTask"] = (input) => this.write(input, assignTask);
  addDependency: Store["addDependency"] = (input) => this.write(input, addDependency);
  removeDependency: Store["removeDependency"] = (input) => this.write(input, removeDependency);
  amendTask: Store["amendTask"] = (input) => this.write(input, amendTask);
  cancelTask: Store["cancelTask"] = (input) => this.write(input, cancelTask);
  editTask: Store["editTask"] = (input) => this.write(input, editTask);
  reopenTask: Store["reopenTask"] = (input) => this.write(input, reopenTask);

  acquireLeases: Store["acquireLeases"] = (input) => this.write(input, acquireLeases);
  releaseLeases: Store["releaseLeases"] = (input) => this.write(input, releaseLeases);
  forceReleaseLeases: Store["forceReleaseLeases"] = (input) => this.write(input, forceReleaseLeases);
  listLeases: Store["listLeases"] = (input) =>
    this.read((tx) =>
      tx.conn
        .all<LeaseRow>(`SELECT * FROM leases ORDER BY path, holder`)
        .map(toLease)
        .filter((lease) => !input.holder || lease.holder === input.holder)
        .filter((lease) => !input.overlapping || patternsOverlap(lease.path, input.overlapping)),
    );

  addChannel: Store["addChannel"] = (input) => this.write(input, addChannel);
  listChannels: Store["listChannels"] = () => this.read((tx) => listChannels(tx));
  sendMessage: Store["sendMessage"] = (input) => this.write(input, sendMessage);
  readMessages: Store["readMessages"] = (input) => this.write(input, readMessages);
  getThread: Store["getThread"] = (input) => this.read((tx) => getThread(tx, input.seq));
  listMessages: Store["listMessages"] = (input) => this.read((tx) => listMessages(tx, input));
  unreadCounts: Store["unreadCounts"] = (input) => this.read((tx) => unreadCounts(tx, input.reader));

  askQuestion: Store["askQuestion"] = (input) => this.write(input, askQuestion);
  answerQuestion: Store["answerQuestion"] = (input) => this.write(input, answerQuestion);
  getQuestion: Store["getQuestion"] = (input) => this.read((tx) => getQuestion(tx, input.seq));
  listQuestions: Store["listQuestions"] = (input) => this.read((tx) => listQuestions(tx, input));
  requestApproval: Store["requestApproval"] = (input) => this.write(input, requestApproval);
  decideApproval: Store["decideApproval"] = (input) => this.write(input, decideApproval);
  expireApproval: Store["expireApproval"] = (input) => this.write(input, expireApproval);
  getApproval: Store["getApproval"] = (input) => this.read((tx) => getApproval(tx, input.seq));
  listApprovals: Store["listApprovals"] = (input) => this.read((tx) => listApprovals(tx, input));

  escalateTask: Store["escalateTask"] = (input) => this.write(input, escalateTask);
  listEscalations: Store["listEscalations"] = (input) => this.read((tx) => listEscalations(tx, input));
  resolveEscalation: Store["resolveEscalation"] = (input) => this.write(input, resolveEscalation);

  openSummaryRound: Store["openSummaryRound"] = (input) => this.write(input, openSummaryRound);
  writeSummaryEntry: Store["writeSummaryEntry"] = (input) => this.write(input, writeSummaryEntry);
  getSummaryRound: Store["getSummaryRound"] = (input) => this.read((tx) => getSummaryRound(tx, input.day));
  listSummaryDays: Store["listSummaryDays"] = () => this.read((tx) => listSummaryDays(tx));
  saveSummaryReport: Store["saveSummaryReport"] = (input) => this.write(input, saveSummaryReport);

  appendEvent: Store["appendEvent"] = (input) => this.write(input, appendUserEvent);
  listEvents: Store["listEvents"] = (input) => this.read((tx) => listEvents(tx, input));
  sweep: Store["sweep"] = (input) => this.write(input, sweep);

  // The outbox's own bookkeeping changes no state anyone waits on: no wake-up.
  outboxPending: Store["outboxPending"] = (input) => this.read((tx) => outboxPending(tx, input));
  takeOutbox: Store["takeOutbox"] = (input) => this.write(input, takeOutbox, { quiet: true });
  finishOutbox: Store["finishOutbox"] = (input) => this.write(input, finishOutbox, { quiet: true });
  listUnfinishedOutbox: Store["listUnfinishedOutbox"] = (input) =>
    this.read((tx) => listUnfinishedOutbox(tx, input));

  createKey: Store["createKey"] = (input) => this.write(input, createKey);
  listKeys: Store["listKeys"] = () => this.read((tx) => listKeys(tx));
  revokeKey: Store["revokeKey"] = (input) => this.write(input, revokeKey);
  createPairing: Store["createPairing"] = (input) => this.write(input, createPairing);
  redeemPairing: Store["redeemPairing"] = (input) =>
    this.write({ actor: ACCESS, ...input }, (tx, i) => redeemPairing(tx, i));
  listDevices: Store["listDevices"] = () => this.read((tx) => listDevices(tx));
  revokeDevice: Store["revokeDevice"] = (input) => this.write(input, revokeDevice);

  /**
   * Every request to the hub server looks its key up: a read, and a write only
   * when the last use recorded is older than LAST_USE_PRECISION_MS.
   */
  useKey: Store["useKey"] = async (input) => {
    const found = await this.read((tx) => findLiveKey(tx, input.secretHash));
    if (!found?.stale) return found?.key ?? null;
    return this.write({ actor: ACCESS, ...input }, recordKeyUse);
  };
  useDevice: Store["useDevice"] = async (input) => {
    const found = await this.read((tx) => findLiveDevice(tx, input.secretHash));
    if (!found?.stale) return found?.device ?? null;
    return this.write({ actor: ACCESS, ...input }, recordDeviceUse);
  };

  savePushSubscription: Store["savePushSubscription"] = (input) => this.write(input, savePushSubscription);
  removePushSubscription: Store["removePushSubscription"] = (input) =>
    this.write(input, removePushSubscription);
  getPushSubscription: Store["getPushSubscription"] = (input) =>
    this.read((tx) => getPushSubscription(tx, input));
  getPushSettings: Store["getPushSettings"] = (input) => this.read((tx) => getPushSettings(tx, input));
  savePushSettings: Store["savePushSettings"] = (input) => this.write(input, savePushSettings);
  listPushTargets: Store["listPushTargets"] = () => this.read((tx) => listPushTargets(tx));
  claimPush: Store["claimPush"] = (input) => this.write(input, claimPush, { quiet: true });
}
