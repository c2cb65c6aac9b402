import type { AgentKey, Device, Pairing } from "../domain/access.js";
import type { CostEntry, CostTotal } from "../domain/cost.js";
import type { LeaseAliases } from "../domain/lease-conflicts.js";
import type { PushKind, PushSettings, PushSubscription, PushTarget, QuietHours } from "../domain/push.js";
import type { TaskReport } from "../domain/task-report.js";
import type {
  ActivityState,
  Agent,
  AgentKind,
  AgentView,
  Approval,
  ApprovalKind,
  BatonEvent,
  Channel,
  Escalation,
  Lease,
  LeaseConflict,
  LostHold,
  Message,
  MessageKind,
  Question,
  SummaryRound,
  Task,
  TaskDetail,
  TaskStatus,
} from "../domain/types.js";
import type { Notifier } from "../notify/notifier.js";

/**
 * The store port: every operation baton performs on its state, each one atomic.
 *
 * It is shaped by operations, not by get/set, and exposes no connection or
 * transaction type: a backend owns its connection(s) and makes each operation
 * one transaction (SQLite) or one script (Redis). Inputs and outputs are plain
 * JSON-serialisable data, so the hub server can serve this same port over a
 * local socket. The time comes from the backend's Clock, never from callers.
 *
 * Every operation that changes state appends exactly one event per change, in
 * the same transaction, and first sweeps the expired claims and leases it could
 * meet — so correctness never depends on a background process.
 *
 * A mutating input may carry `dryRun: true`: the operation runs, its answer is
 * returned, and nothing is kept.
 */
export interface Store {
  readonly backend: string;
  /** Where the state lives, for people: `sqlite:/repo/.baton/baton.db`. */
  readonly location: string;
  /**
   * Wake-ups after commit, supplied by the backend: every committed change
   * wakes CHANGED and the topics it touched (an inbox, a channel, a question).
   */
  readonly notifier: Notifier;
  close(): Promise<void>;

  // agents
  joinAgent(input: JoinAgentInput): Promise<AgentView>;
  heartbeat(input: HeartbeatInput): Promise<HeartbeatResult>;
  /** Records what the agent is doing and which signal said so; an event when the state changes. */
  reportActivity(input: ReportActivityInput): Promise<Agent>;
  leaveAgent(input: Mutation): Promise<LeaveResult>;
  listAgents(input: ListAgentsInput): Promise<AgentView[]>;
  /**
   * What waits for each agent named: unread direct messages and open tasks
   * assigned to it. A read that touches no one (polling it does not make an
   * agent look alive): what the supervisor asks before it nudges an idle agent.
   */
  pendingWork(input: { agents: string[] }): Promise<PendingWork[]>;
  /** The agent itself or a human; refused while it holds or is assigned work, unless `force`. */
  removeAgent(input: RemoveAgentInput): Promise<RemoveAgentResult>;

  // costs
  /** One turn's cost, charged to the actor (and its task); answers with the totals after it. */
  recordCost(input: RecordCostInput): Promise<RecordCostResult>;
  /** What agents and tasks have cost so far. */
  costTotals(input: CostTotalsInput): Promise<CostTotalsResult>;

  // tasks
  addTask(input: AddTaskInput): Promise<Task>;
  getTask(input: { id: string }): Promise<TaskDetail>;
  listTasks(input: ListTasksInput): Promise<Task[]>;
  claimTask(input: ClaimTaskInput): Promise<ClaimResult>;
  completeTask(
    input: FinishTaskInput & { result?: string | null; report?: TaskReport | null },
  ): Promise<Task>;
  failTask(input: FinishTaskInput & { reason: string }): Promise<Task>;
  releaseTask(input: FinishTaskInput): Promise<Task>;
  /** An unknown assignee is refused with "did you mean" unless `allowUnknown` (an agent that joins later). */
  assignTask(
    input: Mutation & {
      id: string;
      assignee: string | null;
      allowUnknown?: boolean;
      /** Handler-only queues (queue → role), to refuse an assignee whose role could never claim the task. */
      handlerOnly?: Record<string, string>;
    },
  ): Promise<Task>;
  addDependency(input: Mutation & { id: string; dependsOn: string }): Promise<Task>;
  removeDependency(input: Mutation & { id: string; dependsOn: string }): Promise<Task>;
  amendTask(input: Mutation & { id: string; remark: string }): Promise<TaskDetail>;
  cancelTask(input: CancelTaskInput): Promise<Task>;
  /** Changes an unfinished task's title, body, priority or tags; no change, no event. */
  editTask(input: EditTaskInput): Promise<Task>;
  /** Brings a finished task (done, failed, cancelled, dead) back to the queue; `done` only for a human. */
  reopenTask(input: ReopenTaskInput): Promise<Task>;

  // file leases
  acquireLeases(input: AcquireLeasesInput): Promise<AcquireResult>;
  releaseLeases(input: ReleaseLeasesInput): Promise<Lease[]>;
  forceReleaseLeases(input: ForceReleaseLeasesInput): Promise<Lease[]>;
  listLeases(input: { holder?: string; overlapping?: string }): Promise<Lease[]>;

  // messages
  addChannel(input: Mutation & { name: string; topic?: string | null }): Promise<Channel>;
  listChannels(): Promise<Channel[]>;
  sendMessage(input: SendMessageInput): Promise<SendResult>;
  /** Reads an inbox or a channel from the reader's cursor; `ack` moves the cursor past what was read. */
  readMessages(input: ReadMessagesInput): Promise<ReadResult>;
  getThread(input: { seq: number }): Promise<Message[]>;
  /** A page of a channel, of two agents' direct conversation, or of the broadcasts; moves no cursor. */
  listMessages(input: ListMessagesInput): Promise<Message[]>;
  /** What `reader` has not acknowledged: per channel, and per sender of its inbox. */
  unreadCounts(input: { reader: string }): Promise<UnreadCounts>;

  // the human in the loop
  askQuestion(
    input: Mutation & { text: string; options: string[] | null; task: string | null },
  ): Promise<{ question: Question }>;
  answerQuestion(input: Mutation & { seq: number; answer: string }): Promise<{ question: Question }>;
  getQuestion(input: { seq: number }): Promise<Question>;
  listQuestions(input: { open?: boolean }): Promise<Question[]>;
  /** `kind` defaults to `request`; `ttlMs`: a pending approval expires that long after it was asked (absent: never). */
  requestApproval(input: RequestApprovalInput): Promise<{ approval: Approval }>;
  /** Only an identity of kind human may decide; others get `forbidden`. */
  decideApproval(
    input: Mutation & { seq: number; approve: boolean; note: string | null },
  ): Promise<{ approval: Approval }>;
  /**
   * The requester marks its own pending approval expired (what it asked for can no longer happen);
   * an approval already decided is returned as it is. Deciding an expired one is `invalid_state`.
   */
  expireApproval(input: Mutation & { seq: number; note: string }): Promise<{ approval: Approval }>;
  getApproval(input: { seq: number }): Promise<Approval>;
  listApprovals(input: { open?: boolean }): Promise<Approval[]>;

  // routing
  /** Sends the task, its history and holder to every human's inbox. */
  escalateTask(input: Mutation & { id: string; reason: string }): Promise<{ escalation: Escalation }>;
  /** Every escalation, or only those still waiting for a human (`open`: not resolved, task not finished). */
  listEscalations(input: { task?: string; open?: boolean }): Promise<Escalation[]>;
  /** Only a human may resolve; resolving again changes nothing. */
  resolveEscalation(input: Mutation & { seq: number; note: string | null }): Promise<Escalation>;

  // daily summary
  /** Opens the day's round; opening it again changes nothing. `created` says whether this call opened it. */
  openSummaryRound(input: Mutation & { day: string }): Promise<{ round: SummaryRound; created: boolean }>;
  /** Writes (or rewrites) the actor's entry for the day; the round must be open. */
  writeSummaryEntry(input: Mutation & { day: string; text: string }): Promise<SummaryRound>;
  getSummaryRound(input: { day: string }): Promise<SummaryRound | null>;
  /** Days that have a round, newest first. */
  listSummaryDays(): Promise<string[]>;
  saveSummaryReport(input: Mutation & { day: string; report: string }): Promise<SummaryRound>;

  // event log
  appendEvent(input: AppendEventInput): Promise<BatonEvent>;
  listEvents(input: ListEventsInput): Promise<BatonEvent[]>;

  /** Expires what is due and reports newly hung agents; what the guardian runs. */
  sweep(input: SweepInput): Promise<SweepResult>;

  // the outbox: work driven from the event log after commit (services/outbox.ts)
  /** Whether any consumer has events to take (a read: an idle drain writes nothing). */
  outboxPending(input: { consumers: OutboxConsumer[] }): Promise<boolean>;
  /** Takes each consumer's next events for `runner`, exactly once across processes. */
  takeOutbox(input: TakeOutboxInput): Promise<TakeOutboxResult>;
  finishOutbox(input: Mutation & { seq: number; consumer: string }): Promise<void>;
  listUnfinishedOutbox(input: { consumers: string[] }): Promise<UnfinishedDelivery[]>;

  // access to the hub server: agent keys, pairing links, paired devices (secrets are given hashed)
  /** Only a human may; the key's agent may not be a human. */
  createKey(input: CreateKeyInput): Promise<AgentKey>;
  listKeys(): Promise<AgentKey[]>;
  /** Only a human may; effective at once; revoking again changes nothing. */
  revokeKey(input: Mutation & { id: string }): Promise<AgentKey>;
  /** The live key with this secret hash, its last use recorded (throttled); null if unknown or revoked. */
  useKey(input: { secretHash: string }): Promise<AgentKey | null>;
  /** Only a human may: a one-time link for `human`, valid `ttlMs`. */
  createPairing(input: CreatePairingInput): Promise<Pairing>;
  /** Redeems a pairing once into a device; `unauthorized` if unknown, used or expired. */
  redeemPairing(input: RedeemPairingInput): Promise<Device>;
  listDevices(): Promise<Device[]>;
  /** Only a human may; effective at once; revoking again changes nothing. */
  revokeDevice(input: Mutation & { id: string }): Promise<Device>;
  /** The live device whose session secret has this hash, its last use recorded (throttled); null if none. */
  useDevice(input: { secretHash: string }): Promise<Device | null>;

  // Web Push per paired device (a revoked device's subscription goes with it)
  /** The device's human only; replaces the device's earlier subscription. */
  savePushSubscription(input: SavePushSubscriptionInput): Promise<PushSubscription>;
  /** Whether one was removed; with `endpoint`, only if it is still that one (the push service said it is gone). */
  removePushSubscription(input: RemovePushSubscriptionInput): Promise<boolean>;
  getPushSubscription(input: { device: string }): Promise<PushSubscription | null>;
  /** The device's settings; the defaults (every kind, no quiet hours) until saved. */
  getPushSettings(input: { device: string }): Promise<PushSettings>;
  /** The device's human only. */
  savePushSettings(input: SavePushSettingsInput): Promise<PushSettings>;
  /** Every live device with a subscription, and its settings. */
  listPushTargets(): Promise<PushTarget[]>;
  /** Records `item` as pushed to `device`, before sending; false if it already was (never twice). */
  claimPush(input: Mutation & { device: string; item: string }): Promise<boolean>;
}

/** One reader of the event log with a cursor of its own: a configured hook, the mirror, push. */
export interface OutboxConsumer {
  /** Stable while the consumer stays the same (a hook's is a hash of its config). */
  name: string;
  /** The event types it takes. */
  types: string[];
  /** A consumer seen for the first time starts after this event: it does not replay the past. */
  startAfter: number;
}

export interface TakeOutboxInput extends Mutation {
  consumers: OutboxConsumer[];
  /** Who runs what is taken: `host:pid`, so a dead runner's deliveries can be found. */
  runner: string;
  /** Events per consumer per take. */
  limit: number;
  /** Deliveries of runners known to be dead, to take again. */
  retry?: { seq: number; consumer: string; runner: string }[];
}

export interface OutboxDelivery {
  consumer: string;
  event: BatonEvent;
  /** 1 the first time; more when its earlier runner died before finishing it. */
  attempts: number;
}

export interface TakeOutboxResult {
  deliveries: OutboxDelivery[];
}

export interface UnfinishedDelivery {
  seq: number;
  consumer: string;
  runner: string;
  startedAt: number;
}

export interface CreateKeyInput extends Mutation {
  agent: string;
  role: string | null;
  /** SHA-256 of the secret (hex); the secret itself never reaches the store. */
  secretHash: string;
}

export interface CreatePairingInput extends Mutation {
  human: string;
  /** SHA-256 of the link's one-time token (hex). */
  tokenHash: string;
  ttlMs: number;
}

export interface RedeemPairingInput {
  tokenHash: string;
  deviceName: string;
  /** SHA-256 of the new session's secret (hex). */
  secretHash: string;
}

/** Who is acting, and whether to keep the change. */
export interface Mutation {
  actor: string;
  dryRun?: boolean;
}

export interface SavePushSubscriptionInput extends Mutation {
  device: string;
  /** Checked by the caller (domain/push.ts): https, a host name. */
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface RemovePushSubscriptionInput extends Mutation {
  device: string;
  endpoint?: string;
  /** Why the hub removed it, for the log. */
  reason?: string;
}

export interface SavePushSettingsInput extends Mutation {
  device: string;
  kinds: PushKind[];
  quietHours: QuietHours | null;
}

export interface JoinAgentInput extends Mutation {
  role?: string | null;
  kind?: AgentKind;
  /**
   * Joined by a program starting up (an MCP server), not by someone naming the
   * agent: a new name that looks like a slip for a known one is refused, as on
   * first use. A join by hand is how a person says such a name is meant.
   */
  automatic?: boolean;
}

export interface RequestApprovalInput extends Mutation {
  action: string;
  plan: string | null;
  task: string | null;
  kind?: ApprovalKind;
  ttlMs?: number;
}

export interface RecordCostInput extends Mutation {
  task?: string | null;
  host: string;
  session?: string | null;
  turn?: number | null;
  model?: string | null;
  /** Null: tokens with no known price. */
  usd?: number | null;
  estimated?: boolean;
  inputTokens?: number;
  outputTokens?: number;
}

export interface RecordCostResult {
  entry: CostEntry;
  /** The actor's total, this entry included. */
  agent: CostTotal;
  /** The task's total, this entry included; null when the turn was on no task. */
  task: CostTotal | null;
}

export interface CostTotalsInput {
  /** Omitted: every agent that has spent anything. */
  agents?: string[];
  tasks?: string[];
  /** A task whose entries (newest first) are wanted too. */
  entriesOf?: string;
  entryLimit?: number;
}

export interface CostTotalsResult {
  agents: Record<string, CostTotal>;
  tasks: Record<string, CostTotal>;
  entries: CostEntry[];
}

export interface ReportActivityInput extends Mutation {
  state: ActivityState;
  signal: string;
  detail?: string | null;
}

export interface HeartbeatInput extends Mutation {
  /** Omitted: keep what was said last. Null: clear it. */
  workingOn?: string | null;
  /**
   * Report what was lost but keep it for the next heartbeat too: for a caller
   * that cannot pass it on to the agent (a host's stop hook). Default: a
   * heartbeat reports each loss once.
   */
  keepLosses?: boolean;
}

export interface HeartbeatResult {
  agent: string;
  renewedTasks: { id: string; token: number; expiresAt: number }[];
  renewedLeases: { path: string; token: number; expiresAt: number }[];
  /**
   * Everything taken from the agent since its last heartbeat, oldest first:
   * claims and leases that expired (whichever process noticed), tasks cancelled
   * under it, leases force-released. Reported once.
   */
  lost: LostHold[];
  /** The task ids and lease paths in `lost`. */
  lostTasks: string[];
  lostLeases: string[];
}

export interface LeaveResult {
  agent: string;
  releasedTasks: string[];
  releasedLeases: string[];
}

export interface RemoveAgentInput extends Mutation {
  name: string;
  /** Release its claims and leases and unassign its tasks instead of refusing. */
  force?: boolean;
}

export interface RemoveAgentResult {
  agent: string;
  /** Claims it held, back in the queue (no attempt counted). */
  releasedTasks: string[];
  releasedLeases: string[];
  /** Tasks that were reserved for it, open to everyone now. */
  unassignedTasks: string[];
}

export interface PendingWork {
  agent: string;
  /** Unread messages in its inbox. */
  unread: number;
  /** The newest of them (its sequence number), 0 when none: tells a new message from one already seen. */
  newest: number;
  /** Open tasks assigned to it, oldest first. */
  assigned: string[];
}

export interface ListAgentsInput {
  hungAfterMs: number;
  offlineAfterMs: number;
}

export interface AddTaskInput extends Mutation {
  prefix: string;
  queue: string;
  title: string;
  body?: string;
  priority?: number;
  tags?: string[];
  dependsOn?: string[];
  assignee?: string | null;
  /** Accept an assignee no agent has joined under yet (it will join later). */
  allowUnknownAssignee?: boolean;
  /** Handler-only queues (queue → role), to refuse an assignee whose role could never claim the task. */
  handlerOnly?: Record<string, string>;
  maxAttempts: number;
  planRequired?: boolean;
  /** The queue's SLA: the task is due this long after it is added. */
  slaMs?: number | null;
}

export interface ListTasksInput {
  status?: TaskStatus[];
  queue?: string;
  /** Only open tasks whose dependencies are done and that `readyFor` may take. */
  ready?: boolean;
  readyFor?: string;
  /** With `ready`: queues only one role may claim from (queue name → handler role), as given to claimTask. */
  handlerOnly?: Record<string, string>;
  /** Holder or assignee. */
  involving?: string;
  limit?: number;
}

export interface ClaimTaskInput extends Mutation {
  /** Omitted: the next ready task. */
  id?: string;
  queue?: string;
  tags?: string[];
  ttlMs: number;
  /** Queues whose tasks only agents of one role may claim: queue name → handler role. */
  handlerOnly?: Record<string, string>;
}

export interface ClaimResult {
  task: Task | null;
  token: number | null;
  /** True when the caller already held this claim (it was renewed). */
  renewed?: boolean;
}

export interface FinishTaskInput extends Mutation {
  id: string;
  /** When given it must be the current claim's token; otherwise the actor must hold the claim. */
  token?: number;
}

export interface AcquireLeasesInput extends Mutation {
  /** Normalised workspace-relative patterns. */
  paths: string[];
  exclusive: boolean;
  ttlMs: number;
  intent?: string | null;
  /**
   * The other keys each key, held or requested, answers to now in the caller's
   * tree (the store cannot see the file system): where a symlink made since a
   * grant sends it, and `key/**` for a name with nothing there yet. A lease
   * conflicts under any of them.
   */
  aliases?: LeaseAliases;
}

export interface AcquireResult {
  granted: Lease[];
  conflicts: LeaseConflict[];
}

export interface ReleaseLeasesInput extends Mutation {
  paths: string[];
  token?: number;
  /**
   * Without a token: skip the paths the actor does not hold instead of refusing them all, so
   * unlocking is idempotent. A token still names one lease, which must be the current one.
   */
  ifHeld?: boolean;
}

export interface ForceReleaseLeasesInput extends Mutation {
  paths: string[];
  /**
   * The leases the caller saw (and a human confirmed): a lease on these paths with another
   * token appeared since, so nothing is released and the answer is `conflict`.
   */
  tokens?: number[];
}

export interface CancelTaskInput extends Mutation {
  id: string;
  reason: string | null;
  /**
   * The task's claim token as the caller saw it (null: never claimed). If a claim was made
   * since, the cancellation would hit work the caller did not see: refused with `conflict`.
   */
  ifToken?: number | null;
}

export interface EditTaskInput extends Mutation {
  id: string;
  title?: string;
  body?: string;
  priority?: number;
  /** Tags added and removed inside the transaction, so two edits never lose each other's tags. */
  addTags?: string[];
  removeTags?: string[];
}

export interface ReopenTaskInput extends Mutation {
  id: string;
  /** Kept as a remark on the task, for whoever claims it next. */
  reason: string | null;
  /** The queue's SLA: the reopened task is due this long from now. */
  slaMs?: number | null;
}

export interface SendMessageInput extends Mutation {
  kind: MessageKind;
  /** Agent name (direct), channel name (channel), role or null for everyone (broadcast). */
  to: string | null;
  body: string;
  urgent?: boolean;
  replyTo?: number;
  /** Direct only: accept a name no agent has joined under yet (it reads the message when it does). */
  allowUnknown?: boolean;
}

export interface SendResult {
  message: Message;
  /** Agents whose inbox received it (direct and broadcast). */
  recipients: string[];
}

export interface ReadMessagesInput extends Mutation {
  /** `inbox`, or `#channel`. */
  stream: string;
  /** Include what was already acknowledged. */
  all?: boolean;
  ack?: boolean;
  limit?: number;
}

export interface ReadResult {
  messages: Message[];
  /** Unread messages left after this read (more than `limit`, or not acknowledged). */
  unread: number;
  /** The reader's cursor after this read. */
  cursor: number;
}

/** Exactly one of channel, between or broadcasts. */
export interface ListMessagesInput {
  channel?: string;
  /** [me, other]: what other sent to my inbox (direct or broadcast) and what I sent other directly. */
  between?: [string, string];
  broadcasts?: boolean;
  /** Only messages before this sequence number (the page before the one shown). */
  beforeSeq?: number;
  /** The newest this many (default 50), returned oldest first. */
  limit?: number;
}

export interface UnreadCounts {
  /** Channel name → messages after the reader's cursor. */
  channels: Record<string, number>;
  /** Sender → messages in the reader's inbox after its cursor. */
  inbox: Record<string, number>;
}

export interface AppendEventInput extends Mutation {
  type: string;
  summary: string;
  subject?: string | null;
  data?: Record<string, unknown>;
}

export interface ListEventsInput {
  actor?: string;
  /** Exact type, or a prefix ending in a dot (`task.`). */
  type?: string;
  subject?: string;
  sinceMs?: number;
  afterSeq?: number;
  /** Only events before this sequence number (with `limit`: the page before, to read back through the log). */
  beforeSeq?: number;
  limit?: number;
  /** With `limit`: the oldest events that match (a page to read on from), not the newest. */
  oldest?: boolean;
}

export interface SweepInput extends Mutation {
  hungAfterMs: number;
}

export interface SweepResult {
  expiredTasks: string[];
  expiredLeases: string[];
  hungAgents: string[];
  /** Overdue tasks escalated by this sweep. */
  escalatedTasks: string[];
}
