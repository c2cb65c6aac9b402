import { z } from "zod";
import { flag, type Route, route, sequence, whole } from "../route.js";
import { day, queueName, text } from "./fields.js";

const onDay = z.object({ day: day.optional().describe("YYYY-MM-DD; default today") }).strict();

/**
 * What a filter of the event log takes, for a list and for the live stream
 * alike: agent (who acted), type (exact, or a prefix ending in "."), task (its
 * subject), after (a sequence number: only later events).
 */
export const EVENT_FILTER = {
  agent: z.string().min(1).max(64).optional(),
  type: z.string().min(1).max(64).optional(),
  task: z.string().min(1).max(1024).optional().describe("the subject: a task id, a path or an agent"),
  after: sequence.optional(),
};

/** The team at a glance, the event log, the daily summary and the queues. */
export const PROJECT_ROUTES: Route[] = [
  route({
    method: "GET",
    path: "/status",
    operationId: "status",
    summary: "The team at a glance: agents, tasks, leases, and what waits for you",
    tag: "project",
    run: async ({ ws }) => ws.status.snapshot(),
  }),
  route({
    method: "GET",
    path: "/events",
    operationId: "listEvents",
    summary:
      "The event log, oldest first: the newest `limit` (default 1000, at most 10000; with `after`, the next `limit` after it, to page on; with `before`, the newest `limit` before it, to page back). With Accept: text/event-stream, a live stream (see x-baton-stream)",
    tag: "events",
    query: z
      .object({
        ...EVENT_FILTER,
        before: sequence.optional().describe("a sequence number: only earlier events"),
        limit: whole("limit").optional(),
      })
      .strict(),
    run: async ({ ws, query }) => ({
      events: await ws.log.list({
        actor: query.agent,
        type: query.type,
        subject: query.task,
        afterSeq: query.after,
        beforeSeq: query.before,
        // Never the whole log at once: a long log would fill the hub's memory and hold its event loop
        // (the service refuses a limit over 10000).
        limit: query.limit ?? 1000,
        oldest: query.after !== undefined,
      }),
    }),
  }),
  route({
    method: "POST",
    path: "/events",
    operationId: "logEvent",
    summary: "Record a decision or note in the log (type: dotted lowercase, e.g. decision)",
    tag: "events",
    creates: true,
    body: z
      .object({
        type: z.string().min(1).max(64),
        summary: text("logSummary").min(1),
        data: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    run: async ({ ws, body }) => ({ event: await ws.log.write(body.type, body.summary, body.data) }),
  }),
  route({
    method: "GET",
    path: "/summary",
    operationId: "getSummary",
    summary: "A day's summary round",
    tag: "summary",
    query: onDay,
    run: async ({ ws, query }) => ({ round: await ws.summary.show(query.day) }),
  }),
  route({
    method: "GET",
    path: "/summary/days",
    operationId: "summaryDays",
    summary: "The days that have a summary round, newest first",
    tag: "summary",
    run: async ({ ws }) => ({ days: await ws.summary.days() }),
  }),
  route({
    method: "GET",
    path: "/summary/status",
    operationId: "summaryStatus",
    summary: "Who has written the day's entry and who has not",
    tag: "summary",
    query: onDay,
    run: async ({ ws, query }) => ws.summary.status(query.day),
  }),
  route({
    method: "POST",
    path: "/summary/trigger",
    operationId: "triggerSummary",
    summary: "Open the day's summary round",
    tag: "summary",
    body: onDay,
    run: async ({ ws, body }) => ws.summary.trigger(body.day),
  }),
  route({
    method: "POST",
    path: "/summary/entries",
    operationId: "writeSummary",
    summary: "Write your entry for the day",
    tag: "summary",
    body: z.object({ text: text("summaryEntry").min(1), day: day.optional() }).strict(),
    run: async ({ ws, body }) => ({ round: await ws.summary.write(body.text, body.day) }),
  }),
  route({
    method: "POST",
    path: "/summary/collect",
    operationId: "collectSummary",
    summary: "Merge the day's entries, completions and decisions into one report",
    tag: "summary",
    body: onDay,
    run: async ({ ws, body }) => ({ round: await ws.summary.collect(body.day) }),
  }),
  route({
    method: "GET",
    path: "/queues",
    operationId: "checkQueues",
    summary: "Each queue's counts and overdue tasks",
    tag: "queues",
    query: z.object({ queue: queueName.optional(), overdueOnly: flag }).strict(),
    run: async ({ ws, query }) => ({ queues: await ws.queues.check(query) }),
  }),
  route({
    method: "GET",
    path: "/queues/blockers",
    operationId: "blockers",
    summary: "Open tasks waiting on unfinished dependencies",
    tag: "queues",
    run: async ({ ws }) => ({ blockers: await ws.queues.blockers() }),
  }),
];
