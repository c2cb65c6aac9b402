import { z } from "zod";
import { COUNTS, TEXTS } from "../../../domain/limits.js";
import { duration, flag, type Route, route } from "../route.js";
import { taskId, text } from "./fields.js";

const waiting = z.object({ wait: duration("wait").optional() }).strict();
const open = z.object({ open: flag.describe("only those still waiting") }).strict();

/** Questions to the humans, approvals by them, escalations for them. Decisions are a person's (403 for a key). */
export const HUMAN_ROUTES: Route[] = [
  route({
    method: "GET",
    path: "/inbox",
    operationId: "humanInbox",
    summary:
      "Everything that waits for the humans (questions, approvals, escalations, your urgent messages), urgent then oldest first, and what expired unanswered lately",
    tag: "questions",
    run: async ({ ws }) => ws.inbox.forHuman(),
  }),
  route({
    method: "POST",
    path: "/questions",
    operationId: "ask",
    summary: "Ask the humans a question (wait: block until it is answered)",
    tag: "questions",
    creates: true,
    body: z
      .object({
        text: text("message").min(1),
        options: z.array(z.string().max(TEXTS.option.max)).max(COUNTS.options.max).optional(),
        task: taskId.optional(),
        wait: duration("wait").optional(),
      })
      .strict(),
    run: async ({ ws, body }) => {
      const question = await ws.human.ask(body.text, { options: body.options, task: body.task });
      return {
        question: body.wait === undefined ? question : await ws.human.waitForAnswer(question.id, body.wait),
      };
    },
  }),
  route({
    method: "GET",
    path: "/questions",
    operationId: "listQuestions",
    summary: "Questions to the humans",
    tag: "questions",
    query: open,
    run: async ({ ws, query }) => ({ questions: await ws.human.questions(query) }),
  }),
  route({
    method: "GET",
    path: "/questions/{id}",
    operationId: "getQuestion",
    summary: "One question (wait: block until it is answered)",
    tag: "questions",
    query: waiting,
    run: async ({ ws, params, query }) => ({
      question:
        query.wait === undefined
          ? await ws.human.question(params.id!)
          : await ws.human.waitForAnswer(params.id!, query.wait),
    }),
  }),
  route({
    method: "POST",
    path: "/questions/{id}/answer",
    operationId: "answer",
    summary: "Answer a question (humans only)",
    tag: "questions",
    humanOnly: true,
    body: z.object({ text: text("message").min(1) }).strict(),
    run: async ({ ws, params, body }) => ({ question: await ws.human.answer(params.id!, body.text) }),
  }),
  route({
    method: "POST",
    path: "/approvals",
    operationId: "requestApproval",
    summary: "Ask a human to approve an action or a plan (wait: block until decided)",
    tag: "approvals",
    creates: true,
    body: z
      .object({
        action: text("action").min(1),
        plan: text("plan").optional(),
        task: taskId.optional(),
        wait: duration("wait").optional(),
      })
      .strict(),
    run: async ({ ws, body }) => {
      const approval = await ws.human.requestApproval(body.action, { plan: body.plan, task: body.task });
      return {
        approval: body.wait === undefined ? approval : await ws.human.waitForDecision(approval.id, body.wait),
      };
    },
  }),
  route({
    method: "GET",
    path: "/approvals",
    operationId: "listApprovals",
    summary: "Approval requests",
    tag: "approvals",
    query: open,
    run: async ({ ws, query }) => ({ approvals: await ws.human.approvals(query) }),
  }),
  route({
    method: "GET",
    path: "/approvals/{id}",
    operationId: "getApproval",
    summary: "One approval and its plan (wait: block until decided)",
    tag: "approvals",
    query: waiting,
    run: async ({ ws, params, query }) => ({
      approval:
        query.wait === undefined
          ? await ws.human.approval(params.id!)
          : await ws.human.waitForDecision(params.id!, query.wait),
    }),
  }),
  route({
    method: "POST",
    path: "/approvals/{id}/decision",
    operationId: "decide",
    summary: "Approve or reject (a rejection needs a note saying why; humans only)",
    tag: "approvals",
    humanOnly: true,
    body: z.object({ approve: z.boolean(), note: text("note").optional() }).strict(),
    run: async ({ ws, params, body }) => ({
      approval: await ws.human.decide(params.id!, body.approve, body.note),
    }),
  }),
  route({
    method: "GET",
    path: "/escalations",
    operationId: "listEscalations",
    summary: "Escalations to the humans",
    tag: "escalations",
    query: z.object({ task: taskId.optional(), open: flag }).strict(),
    run: async ({ ws, query }) => ({ escalations: await ws.tasks.escalations(query) }),
  }),
  route({
    method: "POST",
    path: "/escalations/{id}/resolve",
    operationId: "resolveEscalation",
    summary: "Mark an escalation handled, with what was done (humans only)",
    tag: "escalations",
    humanOnly: true,
    body: z.object({ note: text("note").optional() }).strict(),
    run: async ({ ws, params, body }) => ({
      escalation: await ws.tasks.resolveEscalation(params.id!, body.note),
    }),
  }),
];
