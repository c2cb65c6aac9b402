import { checkDuration, checkWhole, NUMBERS, optionalText } from "../domain/limits.js";
import {
  channelTopic,
  inboxTopic,
  parseChannelName,
  parseMessageId,
  validateMessageBody,
} from "../domain/message-rules.js";
import type { Channel, Message } from "../domain/types.js";
import type { ReadResult, SendResult, UnreadCounts } from "../store/port.js";
import { validateAgentName } from "./identity.js";
import type { ServiceContext } from "./service-context.js";
import { waitFor } from "./wait.js";

export interface SendOptions {
  urgent?: boolean;
  replyTo?: string;
  /** Direct messages: allow a name no agent has joined under yet. */
  allowUnknown?: boolean;
}

export interface ReadOptions {
  all?: boolean;
  ack?: boolean;
  /** Wait this long for something unread to arrive; 0 or undefined: answer at once. */
  waitMs?: number;
  limit?: number;
  /** Called once if nothing unread is there and the wait begins. */
  onWaiting?: () => void;
}

/** Which conversation a page is of: a channel, the caller's direct messages with one agent, or the broadcasts. */
export type Conversation = { channel: string } | { with: string } | { broadcasts: true };

export interface PageOptions {
  /** A message id or sequence number: the page before it. */
  before?: string;
  limit?: number;
}

export class MessageService {
  constructor(private readonly ctx: ServiceContext) {}

  async send(to: string, text: string, options: SendOptions = {}): Promise<SendResult> {
    return this.ctx.store.sendMessage({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      kind: "direct",
      to: validateAgentName(to),
      body: validateMessageBody(text),
      urgent: options.urgent,
      replyTo: options.replyTo ? parseMessageId(options.replyTo) : undefined,
      allowUnknown: options.allowUnknown,
    });
  }

  async post(channel: string, text: string, options: SendOptions = {}): Promise<SendResult> {
    return this.ctx.store.sendMessage({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      kind: "channel",
      to: parseChannelName(channel),
      body: validateMessageBody(text),
      urgent: options.urgent,
      replyTo: options.replyTo ? parseMessageId(options.replyTo) : undefined,
    });
  }

  async broadcast(text: string, options: SendOptions & { role?: string } = {}): Promise<SendResult> {
    return this.ctx.store.sendMessage({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      kind: "broadcast",
      to: optionalText("role", options.role),
      body: validateMessageBody(text),
      urgent: options.urgent,
      replyTo: options.replyTo ? parseMessageId(options.replyTo) : undefined,
    });
  }

  async inbox(options: ReadOptions = {}): Promise<ReadResult> {
    const actor = this.ctx.actor();
    return this.readWaiting("inbox", inboxTopic(actor), actor, options);
  }

  async read(channel: string, options: ReadOptions = {}): Promise<ReadResult> {
    const name = parseChannelName(channel);
    return this.readWaiting(`#${name}`, channelTopic(name), this.ctx.actor(), options);
  }

  /** Reads a stream; with `waitMs`, returns as soon as something unread is there. */
  private async readWaiting(
    stream: string,
    topic: string,
    actor: string,
    options: ReadOptions,
  ): Promise<ReadResult> {
    if (options.limit !== undefined) checkWhole("limit", options.limit);
    const read = () =>
      this.ctx.store.readMessages({
        actor,
        dryRun: this.ctx.dryRun,
        stream,
        all: options.all,
        ack: options.ack,
        limit: options.limit,
      });
    // 0 (or less) answers at once; anything else must be a wait within its range (NaN included).
    const waitMs =
      options.waitMs === undefined || options.waitMs <= 0 ? 0 : checkDuration("wait", options.waitMs);
    if (waitMs === 0) return read();
    const arrived = await waitFor(
      this.ctx,
      [topic],
      waitMs,
      async () => {
        // Without --all a read returns only unread messages, so one read per wake-up decides;
        // with --all it would return old ones too, so peek for something unread first.
        if (options.all) {
          const peek = await this.ctx.store.readMessages({ actor, stream, limit: 1 });
          return peek.messages.length > 0 ? read() : undefined;
        }
        const result = await read();
        return result.messages.length > 0 ? result : undefined;
      },
      options.onWaiting,
    );
    return arrived ?? read();
  }

  async thread(id: string): Promise<Message[]> {
    return this.ctx.store.getThread({ seq: parseMessageId(id) });
  }

  /** A page of a conversation, oldest first, for a person scrolling back; marks nothing read. */
  async page(of: Conversation, options: PageOptions = {}): Promise<Message[]> {
    if (options.limit !== undefined) checkWhole("limit", options.limit);
    const beforeSeq = options.before === undefined ? undefined : parseMessageId(options.before);
    const limit = options.limit;
    if ("channel" in of)
      return this.ctx.store.listMessages({ channel: parseChannelName(of.channel), beforeSeq, limit });
    if ("with" in of)
      return this.ctx.store.listMessages({
        between: [this.ctx.actor(), validateAgentName(of.with)],
        beforeSeq,
        limit,
      });
    return this.ctx.store.listMessages({ broadcasts: true, beforeSeq, limit });
  }

  /** What the caller has not read yet, per channel and per sender of its inbox. */
  async unread(): Promise<UnreadCounts> {
    return this.ctx.store.unreadCounts({ reader: this.ctx.actor() });
  }

  /**
   * Marks read what `agent` sent to the caller's inbox, as far as one inbox
   * cursor allows: up to the first unread message from anyone else, so opening
   * one conversation never marks another's messages read. Returns how many.
   */
  async markReadFrom(agent: string): Promise<{ read: number; unread: number }> {
    const from = validateAgentName(agent);
    const actor = this.ctx.actor();
    const base = { actor, dryRun: this.ctx.dryRun, stream: "inbox" };
    const unread = await this.ctx.store.readMessages({ ...base, limit: NUMBERS.limit.max });
    const theirs = unread.messages.findIndex((m) => m.sender !== from);
    const count = theirs === -1 ? unread.messages.length : theirs;
    if (count === 0) return { read: 0, unread: unread.unread };
    const acked = await this.ctx.store.readMessages({ ...base, ack: true, limit: count });
    return { read: acked.messages.length, unread: acked.unread };
  }

  async addChannel(name: string, topic?: string): Promise<Channel> {
    return this.ctx.store.addChannel({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      name: parseChannelName(name),
      topic: optionalText("topic", topic),
    });
  }

  async channels(): Promise<Channel[]> {
    return this.ctx.store.listChannels();
  }
}
