import { join } from "node:path";
import type { ErrorShape } from "../../errors.js";
import { wakeDirFor } from "../../notify/socket-notifier.js";

/**
 * The hub's local protocol: newline-delimited JSON over a Unix socket, many
 * requests in flight per connection (answers carry the request's id and may
 * come in any order).
 *
 *   → {id, op, input}            ← {id, result} | {id, error: ErrorShape}
 *   → {id, hello: true}          ← {id, result: HubHello}
 *   → {id, subscribe: [topics]}  ← {id, result: null}, then {wake: id} at each wake-up
 *   → {id, unsubscribe: subId}   ← {id, result: null}
 *   → {id, notify: [topics]}     ← {id, result: null}
 */
export type Request =
  | { id: number; op: string; input?: unknown }
  | { id: number; hello: true }
  | { id: number; subscribe: string[] }
  | { id: number; unsubscribe: number }
  | { id: number; notify: string[] };

export type Reply =
  | { id: number | null; result: unknown }
  | { id: number | null; error: ErrorShape }
  | { wake: number };

/** What a hub says about itself when a client connects: the client takes the store's location from it. */
export interface HubHello {
  location: string;
  pid: number;
  version: string;
  /** Store operations the hub has answered since it started (so a test or a status can see it is used). */
  requests?: number;
}

/**
 * The largest request frame the hub reads. An operation may carry 1 Mi
 * characters (MAX_OPERATION_CHARS); JSON escapes a control character in six
 * bytes, so 8 MiB carries anything the store would accept.
 */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/**
 * The hub's socket for a store, beside that store's wake-up sockets: one per
 * store, found from its location alone, and short (a Unix socket path must fit
 * in 107 bytes).
 */
export function hubSocketPath(storeLocation: string): string {
  return join(wakeDirFor(storeLocation), "hub.sock");
}
