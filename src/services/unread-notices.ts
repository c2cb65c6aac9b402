import type { Message } from "../domain/types.js";
import type { Store } from "../store/port.js";

/**
 * A reader's unread messages, read without acknowledging them (looking marks
 * nothing read), less those that carry an escalation: an escalation is shown
 * as itself, open or resolved, never a second time as a message.
 */
export async function unreadNotices(store: Store, reader: string, limit: number): Promise<Message[]> {
  const [unread, escalations] = await Promise.all([
    store.readMessages({ actor: reader, stream: "inbox", limit, all: false, ack: false }),
    store.listEscalations({}),
  ]);
  const carried = new Set(escalations.map((e) => e.message));
  return unread.messages.filter((m) => !carried.has(m.id));
}
