import type { Message } from "../../../domain/types.js";
import type { ListMessagesInput, UnreadCounts } from "../../port.js";
import { type MessageRow, toMessage } from "../rows.js";
import type { Tx } from "../tx.js";
import { requireChannel } from "./messages.js";

/**
 * One page of a conversation as a person scrolls it: the newest `limit`
 * messages before `beforeSeq`, returned oldest first. A read: no cursor moves
 * (unlike readMessages), so looking at a channel or an inbox marks nothing read.
 */
export function listMessages(tx: Tx, input: ListMessagesInput): Message[] {
  const limit = Math.max(1, Math.floor(input.limit ?? 50));
  const params = {
    before: input.beforeSeq ?? Number.MAX_SAFE_INTEGER,
    channel: input.channel ?? null,
    me: input.between?.[0] ?? null,
    other: input.between?.[1] ?? null,
  };
  let where: string;
  if (input.channel !== undefined) {
    requireChannel(tx, input.channel);
    where = `m.kind = 'channel' AND m.target = @channel`;
  } else if (input.between) {
    // What `other` sent that reached my inbox (direct or broadcast), and what I sent `other` directly:
    // the same messages an inbox read shows from them, so the unread counts by sender agree.
    where = `((m.sender = @other AND EXISTS (SELECT 1 FROM deliveries d WHERE d.message = m.seq AND d.agent = @me))
      OR (m.sender = @me AND m.kind = 'direct' AND m.target = @other))`;
  } else {
    where = `m.kind = 'broadcast'`;
  }
  const rows = tx.conn
    .statement(
      `SELECT m.* FROM messages m WHERE m.seq < @before AND ${where} ORDER BY m.seq DESC LIMIT ${limit}`,
    )
    .all(params) as MessageRow[];
  return rows.reverse().map(toMessage);
}

/** What the reader has not acknowledged: per channel, and per sender of its inbox (its cursors as readMessages keeps them). */
export function unreadCounts(tx: Tx, reader: string): UnreadCounts {
  const channels: Record<string, number> = {};
  for (const row of tx.conn.all<{ name: string; n: number }>(
    `SELECT c.name, (SELECT count(*) FROM messages m WHERE m.kind = 'channel' AND m.target = c.name
       AND m.seq > coalesce((SELECT seq FROM cursors WHERE agent = ? AND stream = '#' || c.name), 0)) AS n
     FROM channels c`,
    reader,
  ))
    channels[row.name] = row.n;
  const inbox: Record<string, number> = {};
  for (const row of tx.conn.all<{ sender: string; n: number }>(
    `SELECT m.sender, count(*) AS n FROM messages m JOIN deliveries d ON d.message = m.seq
     WHERE d.agent = ? AND m.seq > coalesce((SELECT seq FROM cursors WHERE agent = ? AND stream = 'inbox'), 0)
     GROUP BY m.sender`,
    reader,
    reader,
  ))
    inbox[row.sender] = row.n;
  return { channels, inbox };
}
