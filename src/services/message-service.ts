import { checkDuration, checkWhole, optionalText } from "../domain/limits.js";
import {
  channelTopic,
  inboxTopic,
  parseChannelName,
  parseMessageId,
  validateMessageBody,
} from "../domain/message-rules.js";
import type { Channel, Message } from "../domain/types.js";
import type { ReadResult, SendResult } from "../store/port.js";
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
