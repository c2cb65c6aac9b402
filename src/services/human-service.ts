import {
  approvalTopic,
  normaliseAnswer,
  parsePrefixedId,
  questionTopic,
  validateOptions,
} from "../domain/human-rules.js";
import { optionalText } from "../domain/limits.js";
import { validateMessageBody } from "../domain/message-rules.js";
import { parseTaskId } from "../domain/task-rules.js";
import type { Approval, ApprovalKind, Question } from "../domain/types.js";
import { BatonError } from "../errors.js";
import { requireConfiguredHuman } from "./humans.js";
import type { ServiceContext } from "./service-context.js";
import { waitFor } from "./wait.js";

/** Questions to the human and approvals by a human, with waits that wake on the answer. */
export class HumanService {
  constructor(private readonly ctx: ServiceContext) {}

  async ask(text: string, options: { options?: string[]; task?: string } = {}): Promise<Question> {
    const { question } = await this.ctx.store.askQuestion({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      text: validateMessageBody(text),
      options: validateOptions(options.options ?? []),
      task: options.task ? parseTaskId(options.task) : null,
    });
    return question;
  }

  async question(id: string): Promise<Question> {
    return this.ctx.store.getQuestion({ seq: parsePrefixedId(id, "Q") });
  }

  async questions(options: { open?: boolean } = {}): Promise<Question[]> {
    return this.ctx.store.listQuestions(options);
  }

  async answer(id: string, text: string): Promise<Question> {
    const seq = parsePrefixedId(id, "Q");
    requireConfiguredHuman(this.ctx, `answer Q-${seq}`);
    const current = await this.ctx.store.getQuestion({ seq });
    const { question } = await this.ctx.store.answerQuestion({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      seq,
      answer: validateMessageBody(normaliseAnswer(text, current.options)),
    });
    return question;
  }

  /** Waits up to `waitMs` for the answer; returns the question, answered or still open. */
  async waitForAnswer(id: string, waitMs: number, onWaiting?: () => void): Promise<Question> {
    const seq = parsePrefixedId(id, "Q");
    return this.waitUntil(
      questionTopic(seq),
      waitMs,
      () => this.ctx.store.getQuestion({ seq }),
      (q) => q.status !== "open",
      onWaiting,
    );
  }

  /** Re-reads `load` on every wake-up until `settled`, or the time runs out; returns the last state. */
  private async waitUntil<T>(
    topic: string,
    waitMs: number,
    load: () => Promise<T>,
    settled: (value: T) => boolean,
    onWaiting?: () => void,
  ): Promise<T> {
    const check = async () => {
      const value = await load();
      return settled(value) ? value : undefined;
    };
    return (await waitFor(this.ctx, [topic], waitMs, check, onWaiting)) ?? load();
  }

  /**
   * `kind: "permission"` marks a host's tool permission (never a task's approved plan); `ttlMs`
   * expires it undecided after that long, when whoever asked waits no longer than that.
   */
  async requestApproval(
    action: string,
    options: { plan?: string; task?: string; kind?: ApprovalKind; ttlMs?: number } = {},
  ): Promise<Approval> {
    const plan = optionalText("plan", options.plan);
    const { approval } = await this.ctx.store.requestApproval({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      action: validateMessageBody(action, "action"),
      plan,
      task: options.task ? parseTaskId(options.task) : null,
      kind: options.kind ?? "request",
      ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    });
    return approval;
  }

  async decide(id: string, approve: boolean, note?: string): Promise<Approval> {
    const text = optionalText("note", note);
    if (!approve && !text) {
      throw new BatonError("invalid_input", "a rejection needs a reason", {
        cli: 'say why, so the agent can change course: --reason "touches the billing schema"',
        tool: "say why, so the agent can change course",
      });
    }
    const seq = parsePrefixedId(id, "A");
    requireConfiguredHuman(this.ctx, `${approve ? "approve" : "reject"} A-${seq}`);
    const { approval } = await this.ctx.store.decideApproval({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      seq,
      approve,
      note: text,
    });
    return approval;
  }

  /**
   * Withdraws this agent's own pending approval because what it asked for can no
   * longer happen (the run that asked has ended): later decisions are refused.
   */
  async expire(id: string, note: string): Promise<Approval> {
    const { approval } = await this.ctx.store.expireApproval({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      seq: parsePrefixedId(id, "A"),
      note: optionalText("note", note) ?? "expired",
    });
    return approval;
  }

  async approval(id: string): Promise<Approval> {
    return this.ctx.store.getApproval({ seq: parsePrefixedId(id, "A") });
  }

  async approvals(options: { open?: boolean } = {}): Promise<Approval[]> {
    return this.ctx.store.listApprovals(options);
  }

  /** Waits up to `waitMs` for a decision; returns the approval, decided or still pending. */
  async waitForDecision(id: string, waitMs: number, onWaiting?: () => void): Promise<Approval> {
    const seq = parsePrefixedId(id, "A");
    return this.waitUntil(
      approvalTopic(seq),
      waitMs,
      () => this.ctx.store.getApproval({ seq }),
      (a) => a.status !== "pending",
      onWaiting,
    );
  }
}
