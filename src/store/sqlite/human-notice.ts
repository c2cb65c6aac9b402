import { deliver } from "./deliveries.js";
import type { Tx } from "./tx.js";

/**
 * Puts one urgent message in every human's inbox (kind `escalation`): what the
 * humans must decide, delivered in the caller's transaction so it is never
 * lost between the change and the notice. Returns the message's seq and who got it.
 */
export function messageHumans(
  tx: Tx,
  body: string,
  sender: string = tx.actor,
): { message: number; humans: string[] } {
  // A human whose own act this is needs no notice of it; the other humans get it.
  const humans = tx.conn
    .all<{ name: string }>(
      `SELECT name FROM agents WHERE kind = 'human' AND name <> ? ORDER BY name`,
      tx.actor,
    )
    .map((h) => h.name);
  const { seq: message } = tx.conn.get<{ seq: number }>(
    `INSERT INTO messages (at, sender, kind, target, urgent, body) VALUES (?, ?, 'escalation', NULL, 1, ?) RETURNING seq`,
    tx.now,
    sender,
    body,
  )!;
  deliver(tx, humans, message);
  return { message, humans };
}
