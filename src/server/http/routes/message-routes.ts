import { z } from "zod";
import { NUMBERS } from "../../../domain/limits.js";
import { duration, type Route, route, whole } from "../route.js";
import { agentName, none, text } from "./fields.js";

const channel = z.string().min(1).max(64);
const messageId = z.string().min(1).max(32);
const sending = {
  text: text("message").min(1),
  urgent: z.boolean().optional(),
  replyTo: messageId.optional(),
};
/** A read: unread only (all: old ones too), ack marks them read, wait blocks until something unread arrives. */
const reading = z
  .object({
    all: z.boolean().optional(),
    ack: z.boolean().optional(),
    limit: z.number().int().min(NUMBERS.limit.min).max(NUMBERS.limit.max).optional(),
    wait: duration("wait").optional(),
  })
  .strict();

/** A page of a conversation: the newest `limit` (default 50) before the message `before`, oldest first. */
const paging = z.object({ before: messageId.optional(), limit: whole("limit").optional() }).strict();

/** Messages between agents and humans: direct, on channels, broadcast. */
export const MESSAGE_ROUTES: Route[] = [
  route({
    method: "POST",
    path: "/messages",
    operationId: "sendMessage",
    summary: "Send a direct message",
    tag: "messages",
    creates: true,
    body: z.object({ to: agentName, ...sending, allowUnknown: z.boolean().optional() }).strict(),
    run: async ({ ws, body: { to, text: said, ...options } }) => ws.messages.send(to, said, options),
  }),
  route({
    method: "POST",
    path: "/broadcasts",
    operationId: "broadcast",
    summary: "Send a message to everyone (role: only agents with that role)",
    tag: "messages",
    creates: true,
    body: z.object({ ...sending, role: text("role").optional() }).strict(),
    run: async ({ ws, body: { text: said, ...options } }) => ws.messages.broadcast(said, options),
  }),
  route({
    method: "POST",
    path: "/inbox/read",
    operationId: "readInbox",
    summary: "Read your inbox (ack: mark what is returned read; wait: block until something arrives)",
    tag: "messages",
    body: reading,
    run: async ({ ws, body }) => ws.messages.inbox({ ...body, waitMs: body.wait }),
  }),
  route({
    method: "GET",
    path: "/channels",
    operationId: "listChannels",
    summary: "The channels",
    tag: "messages",
    run: async ({ ws }) => ({ channels: await ws.messages.channels() }),
  }),
  route({
    method: "POST",
    path: "/channels",
    operationId: "addChannel",
    summary: "Add a channel",
    tag: "messages",
    creates: true,
    body: z.object({ name: channel, topic: text("reason").optional() }).strict(),
    run: async ({ ws, body }) => ({ channel: await ws.messages.addChannel(body.name, body.topic) }),
  }),
  route({
    method: "POST",
    path: "/channels/{name}/messages",
    operationId: "postToChannel",
    summary: "Post a message to a channel",
    tag: "messages",
    creates: true,
    body: z.object(sending).strict(),
    run: async ({ ws, params, body: { text: said, ...options } }) =>
      ws.messages.post(params.name!, said, options),
  }),
  route({
    method: "POST",
    path: "/channels/{name}/read",
    operationId: "readChannel",
    summary: "Read a channel (as for the inbox)",
    tag: "messages",
    body: reading,
    run: async ({ ws, params, body }) => ws.messages.read(params.name!, { ...body, waitMs: body.wait }),
  }),
  route({
    method: "GET",
    path: "/messages/unread",
    operationId: "unreadCounts",
    summary: "How many messages you have not read, per channel and per sender of your inbox",
    tag: "messages",
    run: async ({ ws }) => ws.messages.unread(),
  }),
  route({
    method: "GET",
    path: "/channels/{name}/messages",
    operationId: "listChannelMessages",
    summary: "A page of a channel's messages, oldest first (marks nothing read)",
    tag: "messages",
    query: paging,
    run: async ({ ws, params, query }) => ({
      messages: await ws.messages.page({ channel: params.name! }, query),
    }),
  }),
  route({
    method: "GET",
    path: "/broadcasts",
    operationId: "listBroadcasts",
    summary: "A page of the broadcasts, oldest first",
    tag: "messages",
    query: paging,
    run: async ({ ws, query }) => ({ messages: await ws.messages.page({ broadcasts: true }, query) }),
  }),
  route({
    method: "GET",
    path: "/direct/{agent}/messages",
    operationId: "listDirectMessages",
    summary:
      "A page of your conversation with one agent: what it sent you (direct and broadcast) and what you sent it, oldest first (marks nothing read)",
    tag: "messages",
    query: paging,
    run: async ({ ws, params, query }) => ({
      messages: await ws.messages.page({ with: params.agent! }, query),
    }),
  }),
  route({
    method: "POST",
    path: "/direct/{agent}/read",
    operationId: "markDirectRead",
    summary:
      "Mark read what one agent sent to your inbox (up to the first unread message from anyone else: one cursor per inbox)",
    tag: "messages",
    body: none,
    run: async ({ ws, params }) => ws.messages.markReadFrom(params.agent!),
  }),
  route({
    method: "GET",
    path: "/messages/{id}/thread",
    operationId: "getThread",
    summary: "A message and its replies",
    tag: "messages",
    run: async ({ ws, params }) => ({ messages: await ws.messages.thread(params.id!) }),
  }),
];
