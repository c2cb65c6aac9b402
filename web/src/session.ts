import { get, useCsrfToken } from "./api";
import { takeEarly } from "./early";

/** Who this paired device is: the hub's answer to GET /api/v1/session. */
export interface Session {
  kind: "human" | "agent";
  name: string;
  device: { id: string; name: string } | null;
  csrfToken: string | null;
  /** Where Web Push subscriptions must be made with (the hub's VAPID public key), when it has one. */
  vapidPublicKey?: string | null;
}

export async function loadSession(): Promise<Session> {
  const session = await (takeEarly<Session>("/session") ?? get<Session>("/session"));
  useCsrfToken(session.csrfToken ?? "");
  return session;
}
