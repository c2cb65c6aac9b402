import { channelTopic, formatMessageId } from "../../../domain/message-rules.js";
import type { Channel, Message } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import type { Mutation, ReadMessagesInput, ReadResult, SendMessageInput, SendResult } from "../../port.js";
import { requireKnownAgent } from "../agent-lookup.js";
import { deliver } from "../deliveries.js";
import { type MessageRow, toMessage } from "../rows.js";
import { appendEvent, type Tx, touchActor } from "../tx.js";

export function requireChannel(tx: Tx, name: string): void {
  if (!tx.conn.get(`SELECT 1 FROM channels WHERE name = ?`, name)) {
    const known = tx.conn
      .all<{ name: string }>(`SELECT name FROM channels ORDER BY name`)
      .map((c) => `#${c.name}`);
    throw new BatonError("not_found", `no channel #${name}`, {
      cli: `create it with \`baton channel add #${name}\`${known.length ? `, or use one of: ${known.join(", ")}` : ""}`,
      tool: known.length
        ? `use one of: ${known.join(", ")}`
        : "ask the human to create the channel, or message agents directly",
    });
  }
}

function recipientsOf(tx: Tx, input: SendMessageInput): string[] {
  if (input.kind === "direct") {
    return [
      requireKnownAgent(tx, input.to!, {
        allowUnknown: input.allowUnknown,
        newHint: {
          cli: "to leave a message for an agent that has not joined yet, add --new",
          tool: "message an agent that has joined",
        },
      }),
    ];
  }
  if (input.kind === "broadcast") {
    const rows = input.to
      ? tx.conn.all<{ name: string }>(
          `SELECT name FROM agents WHERE role = ? AND name <> ? ORDER BY name`,
          input.to,
          tx.actor,
        )
      : tx.conn.all<{ name: string }>(`SELECT name FROM agents WHERE name <> ? ORDER BY name`, tx.actor);
    if (input.to && rows.length === 0) {
      throw new BatonError(
        "not_found",
        `no agent has the role ${input.to}`,
        { cli: "see the roles with `baton agents`", tool: "see the team and its roles in get_project_info" },
        { role: input.to },
      );
    }
    return rows.map((row) => row.name);
  }
  requireChannel(tx, input.to!);
  return [];
}

/** Stores a message and one delivery per recipient, in one transaction: delivery never waits on the reader. */
export function sendMessage(tx: Tx, input: SendMessageInput): SendResult {
  touchActor(tx);
  const recipients = recipientsOf(tx, input);
  let thread: number | null = null;
  if (input.replyTo !== undefined) {
    const original = tx.conn.get<{ seq: number; thread: number | null }>(
      `SELECT seq, thread FROM messages WHERE seq = ?`,
      input.replyTo,
    );
    if (!original) {
      throw new BatonError("not_found", `no message ${formatMessageId(input.replyTo)} to reply to`, {
        cli: "see message ids with `baton inbox --all`",
        tool: "message ids (M-12) are in the messages get_messages returns",
      });
    }
    thread = original.thread ?? original.seq;
  }
  const row = tx.conn.get<MessageRow>(
    `INSERT INTO messages (at, sender, kind, target, thread, reply_to, urgent, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    tx.now,
    tx.actor,
    input.kind,
    input.to,
    thread,
    input.replyTo ?? null,
    input.urgent ? 1 : 0,
    input.body,
  )!;
  deliver(tx, recipients, row.seq);
  if (input.kind === "channel") tx.wake.add(channelTopic(input.to!));
  const message = toMessage(row);
  const where =
    input.kind === "channel"
      ? `#${input.to}`
      : input.kind === "broadcast"
        ? input.to
          ? `role ${input.to}`
          : "everyone"
        : input.to;
  const preview = input.body.length > 80 ? `${input.body.slice(0, 77)}...` : input.body;
  appendEvent(tx, {
    type: "message.sent",
    subject: message.id,
    summary: `${tx.actor} → ${where}${input.urgent ? " (urgent)" : ""}: ${preview}`,
    data: {
      after: {
        id: message.id,
        kind: input.kind,
        to: input.to,
        recipients: recipients.length,
        urgent: message.urgent,
      },
    },
  });
  return { message, recipients };
}

export function readMessages(tx: Tx, input: ReadMessagesInput): ReadResult {
  touchActor(tx);
  const channel = input.stream === "inbox" ? null : input.stream.replace(/^#/, "");
  if (channel !== null) requireChannel(tx, channel);
  const cursor =
    tx.conn.get<{ seq: number }>(
      `SELECT seq FROM cursors WHERE agent = ? AND stream = ?`,
      tx.actor,
      input.stream,
    )?.seq ?? 0;
  const from = input.all ? 0 : cursor;
  const limit = Math.max(1, Math.floor(input.limit ?? 100));
  const source =
    channel === null
      ? `FROM messages m JOIN deliveries d ON d.message = m.seq WHERE d.agent = @reader AND m.seq > @from`
      : `FROM messages m WHERE m.kind = 'channel' AND m.target = @channel AND m.seq > @from`;
  const params = { reader: tx.actor, channel, from };
  const messages = (
    tx.conn.statement(`SELECT m.* ${source} ORDER BY m.seq LIMIT ${limit}`).all(params) as MessageRow[]
  ).map(toMessage);
  let next = cursor;
  if (input.ack && messages.length > 0) {
    next = Math.max(cursor, messages.at(-1)!.seq);
    if (next > cursor) {
      tx.conn.run(
        `INSERT INTO cursors (agent, stream, seq) VALUES (?, ?, ?) ON CONFLICT (agent, stream) DO UPDATE SET seq = excluded.seq`,
        tx.actor,
        input.stream,
        next,
      );
      appendEvent(tx, {
        type: "messages.acked",
        subject: input.stream === "inbox" ? tx.actor : input.stream,
        summary: `${tx.actor} read ${input.stream} up to ${formatMessageId(next)}`,
        data: { before: { cursor }, after: { cursor: next } },
      });
    }
  }
  const unread = (
    tx.conn.statement(`SELECT count(*) AS n ${source}`).get({ ...params, from: next }) as { n: number }
  ).n;
  return { messages, unread, cursor: next };
}

export function getThread(tx: Tx, seq: number): Message[] {
  const root = tx.conn.get<{ seq: number; thread: number | null }>(
    `SELECT seq, thread FROM messages WHERE seq = ?`,
    seq,
  );
  if (!root)
    throw new BatonError("not_found", `no message ${formatMessageId(seq)}`, {
      cli: "see message ids with `baton inbox --all`",
      tool: "message ids (M-12) are in the messages get_messages returns",
    });
  const first = root.thread ?? root.seq;
  return tx.conn
    .all<MessageRow>(`SELECT * FROM messages WHERE seq = ? OR thread = ? ORDER BY seq`, first, first)
    .map(toMessage);
}

export function addChannel(tx: Tx, input: Mutation & { name: string; topic?: string | null }): Channel {
  touchActor(tx);
  const existing = tx.conn.get(`SELECT 1 FROM channels WHERE name = ?`, input.name);
  if (!existing) {
    tx.conn.run(
      `INSERT INTO channels (name, topic, created_by, created_at) VALUES (?, ?, ?, ?)`,
      input.name,
      input.topic ?? null,
      tx.actor,
      tx.now,
    );
    appendEvent(tx, {
      type: "channel.added",
      subject: `#${input.name}`,
      summary: `${tx.actor} opened #${input.name}${input.topic ? `: ${input.topic}` : ""}`,
      data: { after: { name: input.name, topic: input.topic ?? null } },
    });
  }
  return listChannels(tx).find((channel) => channel.name === input.name)!;
}

export function listChannels(tx: Tx): Channel[] {
  return tx.conn
    .all<{ name: string; topic: string | null; created_by: string; created_at: number; messages: number }>(
      `SELECT c.*, (SELECT count(*) FROM messages m WHERE m.kind = 'channel' AND m.target = c.name) AS messages
       FROM channels c ORDER BY c.name`,
    )
    .map((row) => ({
      name: row.name,
      topic: row.topic,
      createdBy: row.created_by,
      createdAt: row.created_at,
      messages: row.messages,
    }));
}
