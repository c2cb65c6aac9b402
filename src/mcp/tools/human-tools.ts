import { z } from "zod";
import { COUNTS, DURATIONS, TEXTS } from "../../domain/limits.js";
import type { Approval, Question } from "../../domain/types.js";
import { progress, type ToolExtra } from "../progress.js";
import type { McpSession } from "../session.js";
import type { ToolRegistry } from "../tool-registry.js";

const PROGRESS_EVERY_MS = 5000;

/** Seconds to wait for the human: 0 asks and returns at once; at most a wait's range (a day). */
const WAIT_SECONDS = z
  .number()
  .int()
  .min(0)
  .max(DURATIONS.wait.max / 1000);

/**
 * Waits for a human in slices, sending progress between them, and gives up
 * before the host's own limit with a pending answer the model can resume.
 */
async function waitForHuman<T>(
  session: McpSession,
  extra: ToolExtra,
  waitSeconds: number | undefined,
  waitSlice: (ms: number) => Promise<T>,
  settled: (value: T) => boolean,
): Promise<T> {
  const budget = Math.min((waitSeconds ?? Number.POSITIVE_INFINITY) * 1000, session.maxWaitMs);
  const started = performance.now();
  for (;;) {
    const remaining = budget - (performance.now() - started);
    const value = await waitSlice(Math.max(0, Math.min(PROGRESS_EVERY_MS, remaining)));
    if (settled(value) || remaining <= PROGRESS_EVERY_MS) return value;
    await progress(extra, Math.round((performance.now() - started) / 1000), "waiting for the human");
  }
}

function questionAnswer(question: Question) {
  if (question.status === "expired")
    return {
      status: "expired",
      question,
      hint: `${question.id} expired unanswered (${question.note}): nobody will answer it; carry on without it or ask again.`,
    };
  return question.status === "answered"
    ? { status: "answered", answer: question.answer, question }
    : {
        status: "pending",
        question,
        hint: `No answer yet; the question stays open. Call get_answer with id ${question.id} to keep waiting, or carry on with other work and check get_messages later: the answer also arrives there.`,
      };
}

function approvalAnswer(approval: Approval) {
  return approval.status === "pending"
    ? {
        status: "pending",
        approval,
        hint: `No decision yet. Call get_answer with id ${approval.id} to keep waiting; do not start the action before it is approved.`,
      }
    : { status: approval.status, note: approval.note, approval };
}

export function registerHumanTools(tools: ToolRegistry, session: McpSession): void {
  const human = session.ws.human;

  tools.add("chat_with_human", {
    ownProgress: true,
    title: "Ask the human",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description:
      "Ask the human a question and wait for the answer. Use it when you are unsure about requirements, a design choice or something risky, instead of guessing. Give options when there is a clear choice. Returns {status: answered, answer} or, if the human takes long, {status: pending, question} with the id to pass to get_answer.",
    input: {
      question: z.string().min(1).max(TEXTS.message.max),
      options: z.array(z.string().min(1).max(TEXTS.option.max)).max(COUNTS.options.max).optional(),
      task_id: z.string().max(32).optional(),
      wait_seconds: WAIT_SECONDS.optional().describe("0: ask and return at once"),
    },
    run: async (input, extra) => {
      const asked = await human.ask(input.question, { options: input.options, task: input.task_id });
      const question = await waitForHuman(
        session,
        extra,
        input.wait_seconds,
        (ms) => human.waitForAnswer(asked.id, ms),
        (q) => q.status !== "open",
      );
      return questionAnswer(question);
    },
  });

  tools.add("get_answer", {
    ownProgress: true,
    title: "Wait for an answer",
    annotations: { readOnlyHint: true },
    description:
      "Resume waiting for the answer to a question (Q-3) or the decision on an approval (A-2) you asked for earlier. Returns the same shape as chat_with_human or request_approval.",
    input: {
      id: z.string().min(1).max(32),
      wait_seconds: WAIT_SECONDS.optional(),
    },
    run: async (input, extra) => {
      if (/^A-/i.test(input.id)) {
        const approval = await waitForHuman(
          session,
          extra,
          input.wait_seconds,
          (ms) => human.waitForDecision(input.id, ms),
          (a) => a.status !== "pending",
        );
        return approvalAnswer(approval);
      }
      const question = await waitForHuman(
        session,
        extra,
        input.wait_seconds,
        (ms) => human.waitForAnswer(input.id, ms),
        (q) => q.status !== "open",
      );
      return questionAnswer(question);
    },
  });

  tools.add("request_approval", {
    ownProgress: true,
    title: "Ask a human to approve",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description:
      "Ask a human to approve an action before you take it (a plan, a merge, a risky command). For a task that requires a plan, pass task_id and the plan; you cannot complete such a task before the plan is approved. Waits like chat_with_human; returns {status: approved|rejected|pending}. If rejected, read the note and change course.",
    input: {
      action: z.string().min(1).max(TEXTS.action.max),
      plan: z.string().max(TEXTS.plan.max).optional(),
      task_id: z.string().max(32).optional(),
      wait_seconds: WAIT_SECONDS.optional(),
    },
    run: async (input, extra) => {
      const requested = await human.requestApproval(input.action, { plan: input.plan, task: input.task_id });
      const approval = await waitForHuman(
        session,
        extra,
        input.wait_seconds,
        (ms) => human.waitForDecision(requested.id, ms),
        (a) => a.status !== "pending",
      );
      return approvalAnswer(approval);
    },
  });
}
