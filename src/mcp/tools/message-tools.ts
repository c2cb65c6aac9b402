import { z } from "zod";
import { TEXTS } from "../../domain/limits.js";
import { BatonError, clip } from "../../errors.js";
import { progress } from "../progress.js";
import type { McpSession } from "../session.js";
import type { ToolRegistry } from "../tool-registry.js";

export function registerMessageTools(tools: ToolRegistry, session: McpSession): void {
  const ws = session.ws;

  tools.add("send_message", {
    title: "Send a message",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description:
      "Send a message to an agent (to: its name), a channel (to: #name) or everyone (to: *, optionally role). Messages to busy or offline agents are kept until they read them. Returns {message, recipients}.",
    input: {
      to: z.string().min(1).max(64),
      text: z.string().min(1).max(TEXTS.message.max),
      role: z.string().max(TEXTS.role.max).optional().describe("with to=*: only agents with this role"),
      urgent: z.boolean().optional(),
      reply_to: z.string().max(32).optional().describe("a message id (M-12) to reply to in its thread"),
    },
    run: async (input) => {
      if (input.role !== undefined && input.to !== "*") {
        throw new BatonError(
          "invalid_input",
          `role applies to a broadcast, and to is '${clip(input.to)}'`,
          'to reach every agent with a role, pass to "*" with role; to reach one agent, drop role',
        );
      }
      const options = { urgent: input.urgent, replyTo: input.reply_to };
      const sent =
        input.to === "*"
          ? await ws.messages.broadcast(input.text, { ...options, role: input.role })
          : input.to.startsWith("#")
            ? await ws.messages.post(input.to, input.text, options)
            : await ws.messages.send(input.to, input.text, options);
      return { message: sent.message, recipients: sent.recipients };
    },
  });

  tools.add("get_messages", {
    ownProgress: true,
    title: "Read your messages",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description:
      "Read your unread messages (direct, broadcasts, answers and decisions addressed to you) and mark them read. With wait_seconds, waits for one to arrive: use it when you have nothing else to do. Returns {messages, unread}.",
    input: {
      wait_seconds: z.number().int().min(0).max(3600).optional(),
      channel: z.string().max(64).optional().describe("read a channel (#name) instead of your inbox"),
    },
    run: async (input, extra) => {
      const budget = Math.min((input.wait_seconds ?? 0) * 1000, session.maxWaitMs);
      const read = (waitMs: number) =>
        input.channel
          ? ws.messages.read(input.channel, { ack: true, waitMs })
          : ws.messages.inbox({ ack: true, waitMs });
      if (budget <= 0) return read(0);
      const started = performance.now();
      for (;;) {
        const remaining = budget - (performance.now() - started);
        const result = await read(Math.max(1, Math.min(5000, remaining)));
        if (result.messages.length > 0 || remaining <= 5000) return result;
        await progress(extra, Math.round((performance.now() - started) / 1000), "waiting for a message");
      }
    },
  });

  tools.add("update_status", {
    title: "Say what you work on",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    description:
      "Say what you are working on, shown to the team and the human. Every tool call already keeps your claim and leases alive; call this when your focus changes.",
    input: { working_on: z.string().min(1).max(TEXTS.workingOn.max) },
    run: async (input) => session.heartbeat(input.working_on),
  });

  tools.add("log_decision", {
    title: "Record a decision",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    description: "Record a decision (and why) in the team's log, so others and the daily summary see it.",
    input: { decision: z.string().min(1).max(TEXTS.logSummary.max), task_id: z.string().max(32).optional() },
    run: async (input) => {
      if (input.task_id && !/^[A-Za-z][A-Za-z0-9]*-\d+$/.test(input.task_id)) {
        throw new BatonError(
          "invalid_input",
          `'${input.task_id}' is not a task id`,
          "task ids look like T-12",
        );
      }
      return {
        event: await ws.log.write(
          "decision",
          input.decision,
          input.task_id ? { task: input.task_id } : undefined,
        ),
      };
    },
  });
}
