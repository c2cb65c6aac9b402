import type { Command } from "commander";
import type { WaitingItem } from "../../services/status-service.js";
import type { ReadResult, SendResult } from "../../store/port.js";
import { action, type CliContext, durationOption, limitOption, withRange } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { channelTable, messageLine } from "../format.js";
import { waitingLine } from "../status-format.js";
import { waitingNote } from "../waiting-note.js";

interface ReadFlags {
  all?: boolean;
  ack?: boolean;
  wait?: number;
  limit: number;
}

function readOptions(command: Command): Command {
  return command
    .option("--all", "include messages already acknowledged")
    .option("--ack", "mark what is shown as read (the cursor moves past it)")
    .option(
      "--wait <duration>",
      withRange("wait up to this long for something unread to arrive (exit 5 if nothing did)", "wait"),
      durationOption("--wait", "wait"),
    )
    .option("--limit <n>", "at most N messages (1 to 10000)", limitOption("--limit"), 100);
}

function fromFlags(ctx: CliContext, stream: string, o: ReadFlags) {
  return {
    all: o.all,
    ack: o.ack,
    waitMs: o.wait,
    limit: o.limit,
    onWaiting: o.wait ? waitingNote(ctx, `nothing unread in ${stream}`, o.wait) : undefined,
  };
}

function printRead(
  ctx: CliContext,
  result: ReadResult,
  waited: boolean,
  waiting: WaitingItem[] | null = null,
): number {
  ctx.out.result({ ...result, ...(waiting ? { waiting } : {}) }, () => {
    const lines = result.messages.map((m) => messageLine(m, ctx.out.style));
    // A human's inbox also holds what waits for them: open questions, approvals, escalations.
    const others = (waiting ?? []).filter((item) => item.kind !== "message");
    if (others.length) {
      if (lines.length) lines.push("");
      lines.push(
        ctx.out.style.bold(`Waiting for you: ${others.length}`),
        ...others.map((item) => waitingLine(item, ctx.out.style)),
      );
    }
    if (lines.length === 0) lines.push(ctx.out.style.dim(waited ? "nothing arrived" : "nothing unread"));
    if (result.unread > 0)
      lines.push(
        ctx.out.style.dim(
          `${result.unread} unread${result.messages.length ? " (use --ack to mark these read)" : ""}`,
        ),
      );
    return lines;
  });
  return waited && result.messages.length === 0 ? EXIT.timeout : EXIT.ok;
}

function printSent(ctx: CliContext, sent: SendResult): void {
  ctx.out.result({ message: sent.message, recipients: sent.recipients }, () => {
    const lines = [`sent ${messageLine(sent.message, ctx.out.style)}`];
    if (sent.message.kind === "broadcast")
      lines.push(
        ctx.out.style.dim(
          `delivered to ${sent.recipients.length} inbox(es): ${sent.recipients.join(", ") || "nobody yet"}`,
        ),
      );
    return lines;
  });
}

export function registerMessageCommands(program: Command): void {
  program
    .command("send")
    .description("send a direct message to an agent; kept in its inbox until read, even if it is offline")
    .argument("<agent>")
    .argument("<text>")
    .option("--reply-to <id>", "reply in the thread of message M-ID")
    .option("--urgent", "flag it as urgent")
    .option("--new", "the agent has not joined yet: keep the message for when it does")
    .action(
      action(
        async (ctx, to: string, text: string, o: { replyTo?: string; urgent?: boolean; new?: boolean }) => {
          const sent = await (await ctx.workspace()).messages.send(to, text, {
            replyTo: o.replyTo,
            urgent: o.urgent,
            allowUnknown: o.new,
          });
          printSent(ctx, sent);
        },
      ),
    );

  program
    .command("broadcast")
    .description("message every agent (or every agent with --role) in its inbox")
    .argument("<text>")
    .option("--role <role>", "only agents with this role")
    .option("--urgent", "flag it as urgent")
    .action(
      action(async (ctx, text: string, o: { role?: string; urgent?: boolean }) => {
        printSent(ctx, await (await ctx.workspace()).messages.broadcast(text, o));
      }),
    );

  readOptions(
    program.command("inbox").description("your direct messages and broadcasts: unread ones by default"),
  ).action(
    action(async (ctx, o: ReadFlags) => {
      const workspace = await ctx.workspace();
      const result = await workspace.messages.inbox(fromFlags(ctx, "your inbox", o));
      return printRead(ctx, result, o.wait !== undefined, await workspace.status.humanWaiting());
    }),
  );

  program
    .command("post")
    .description("post to a channel")
    .argument("<channel>", "#name")
    .argument("<text>")
    .option("--reply-to <id>", "reply in the thread of message M-ID")
    .option("--urgent", "flag it as urgent")
    .action(
      action(async (ctx, channel: string, text: string, o: { replyTo?: string; urgent?: boolean }) => {
        printSent(ctx, await (await ctx.workspace()).messages.post(channel, text, o));
      }),
    );

  readOptions(
    program
      .command("read")
      .description("read a channel from where you left off")
      .argument("<channel>", "#name"),
  ).action(
    action(async (ctx, channel: string, o: ReadFlags) => {
      const result = await (await ctx.workspace()).messages.read(channel, fromFlags(ctx, channel, o));
      return printRead(ctx, result, o.wait !== undefined);
    }),
  );

  program
    .command("thread")
    .description("a message and every reply in its thread")
    .argument("<id>", "M-ID")
    .action(
      action(async (ctx, id: string) => {
        const messages = await (await ctx.workspace()).messages.thread(id);
        ctx.out.result({ messages }, () => messages.map((m) => messageLine(m, ctx.out.style)));
      }),
    );

  const channel = program
    .command("channel")
    .description("channels: shared conversations anyone can post to and read");
  channel
    .command("add")
    .description("open a channel (no-op if it exists)")
    .argument("<name>", "#name")
    .option("--topic <text>", "what it is for")
    .action(
      action(async (ctx, name: string, o: { topic?: string }) => {
        const added = await (await ctx.workspace()).messages.addChannel(name, o.topic);
        ctx.out.result({ channel: added }, () => `#${added.name}${added.topic ? ` — ${added.topic}` : ""}`);
      }),
    );
  channel
    .command("list")
    .description("channels and how many messages each holds")
    .action(
      action(async (ctx) => {
        const channels = await (await ctx.workspace()).messages.channels();
        ctx.out.result({ channels }, () => channelTable(channels, ctx.out.style));
      }),
    );
}
