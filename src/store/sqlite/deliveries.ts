import { inboxTopic } from "../../domain/message-rules.js";
import type { Tx } from "./tx.js";

/**
 * Puts message `message` in each agent's inbox, and marks their inboxes to be
 * woken once the change commits: the only way a message reaches an inbox, so
 * no sender can deliver without waking the reader.
 */
export function deliver(tx: Tx, agents: readonly string[], message: number): void {
  for (const agent of agents) {
    tx.conn.run(`INSERT INTO deliveries (agent, message) VALUES (?, ?)`, agent, message);
    tx.wake.add(inboxTopic(agent));
  }
}
