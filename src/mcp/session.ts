import { describeLoss } from "../domain/lost-holds.js";
import type { LostHold } from "../domain/types.js";
import { BatonError, isBatonError } from "../errors.js";
import type { Workspace } from "../services/workspace.js";
import type { HeartbeatResult } from "../store/port.js";

const BEAT_EVERY_MS = 1000;

/**
 * One MCP connection's state: who it is, and the claim it holds. The claim's
 * fencing token stays here so the model never handles it; every tool call is a
 * heartbeat, which keeps the claim and the agent's leases alive.
 *
 * Every call renews, read-only ones too (list_tasks, get_messages): a call is
 * the one sign of life an MCP session gives, and an agent waiting on a human's
 * answer with get_messages is alive and still means to finish its task. A
 * model that loops on reads without progress is not silent, so a heartbeat
 * cannot tell it apart; the queue's SLA escalates such a task to the humans.
 */
export class McpSession {
  claim: { id: string; token: number } | null = null;
  /** The claim the session last lost, to tell the model why it holds nothing. */
  private lost: { id: string; why: string } | null = null;
  /** Losses heartbeats reported that the model has not been shown yet. */
  private notices: LostHold[] = [];

  constructor(
    readonly ws: Workspace,
    readonly agent: string,
    /** The longest a tool may block before answering "pending" (hosts cut calls off: Codex after 60 s). */
    readonly maxWaitMs: number,
  ) {}

  private lastBeat = 0;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Runs the session's claim changes one at a time: a host may send calls
   * concurrently, and ten claim_task calls at once must still leave one claim
   * (each checks "you already hold" only after the one before it finished).
   */
  serial<T>(body: () => Promise<T>): Promise<T> {
    const run = this.queue.then(body, body);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Every tool call is a heartbeat; within a second of the last one it is not
   * written again (TTLs are minutes, and a busy model makes many calls a second:
   * each renewal is a write that would double the cost of every call).
   */
  async beat(): Promise<void> {
    const now = performance.now();
    if (now - this.lastBeat < BEAT_EVERY_MS) return;
    this.lastBeat = now;
    this.notices.push(...this.settle(await this.ws.agents.heartbeat()).lost);
  }

  /** update_status: a heartbeat that says what the agent works on; its answer carries what was lost. */
  async heartbeat(workingOn: string): Promise<HeartbeatResult> {
    this.lastBeat = performance.now();
    const beat = this.settle(await this.ws.agents.heartbeat({ workingOn }));
    // The call's own beat may have taken some already: the answer carries them all, and no notice repeats them.
    const lost = [...this.takeNotices(), ...beat.lost];
    const subjects = (kind: string) => [
      ...new Set(lost.filter((l) => l.kind === kind).map((l) => l.subject)),
    ];
    return { ...beat, lost, lostTasks: subjects("task"), lostLeases: subjects("lease") };
  }

  /** Not renewed means no longer ours: it expired (perhaps swept by another process), was cancelled or taken. */
  private settle(beat: HeartbeatResult): HeartbeatResult {
    if (this.claim && !beat.renewedTasks.some((task) => task.id === this.claim!.id)) {
      const loss = beat.lost.find((l) => l.kind === "task" && l.subject === this.claim!.id);
      this.forget(loss ? describeLoss(loss) : undefined);
    }
    return beat;
  }

  /** What was lost since the model was last told, once: each tool answer carries it. */
  takeNotices(): LostHold[] {
    const notices = this.notices;
    this.notices = [];
    return notices;
  }

  /**
   * Completes, fails or releases `id` with the session's token for it. Either
   * way the session stops holding it: done with, or found lost (lease_lost).
   */
  async finish<T extends { id: string }>(
    id: string,
    call: (token: number | undefined) => Promise<T>,
  ): Promise<T> {
    try {
      const task = await call(this.tokenFor(id));
      if (this.claim?.id === task.id) this.claim = null;
      return task;
    } catch (error) {
      if (isBatonError(error) && error.code === "lease_lost" && this.claim?.id === id.toUpperCase())
        this.forget();
      throw error;
    }
  }

  private forget(why?: string): void {
    this.lost = this.claim
      ? {
          id: this.claim.id,
          why: why ?? `your claim on ${this.claim.id} was lost: it expired or another agent took it`,
        }
      : null;
    this.claim = null;
  }

  /**
   * Takes up the claim this agent already holds, so a new session (the host
   * restarted, or the model's context was reset) goes on with it: the
   * session-start hook has just told the model it holds that task.
   */
  async resume(): Promise<void> {
    const held = (await this.ws.tasks.list({ mine: true })).filter(
      (task) => task.status === "claimed" && task.holder === this.agent && task.token !== null,
    );
    const latest = held.sort((a, b) => b.token! - a.token!)[0];
    if (latest) this.hold(latest.id, latest.token!);
  }

  /** Records a new claim. */
  hold(id: string, token: number): void {
    this.claim = { id, token };
    this.lost = null;
  }

  /** The token to pass for `id`: the session's own claim's, if it is that task. */
  private tokenFor(id: string): number | undefined {
    return this.claim && this.claim.id === id.toUpperCase() ? this.claim.token : undefined;
  }

  requireNoClaim(): void {
    if (this.claim) {
      throw new BatonError(
        "conflict",
        `you already hold ${this.claim.id}`,
        `finish it first: complete_task, fail_task or release_task with task_id ${this.claim.id}`,
        { id: this.claim.id },
      );
    }
  }

  /** The task a tool means: the one given, or the session's current claim. */
  taskOrClaim(id: string | undefined): string {
    if (id) return id;
    if (this.claim) return this.claim.id;
    if (this.lost) {
      throw new BatonError(
        "lease_lost",
        this.lost.why,
        "stop working on it; see list_tasks for its state, and claim_task for new work",
        { id: this.lost.id },
      );
    }
    throw new BatonError(
      "usage",
      "no task_id given and you hold no claim",
      "pass task_id, or claim a task first with claim_task",
    );
  }
}
