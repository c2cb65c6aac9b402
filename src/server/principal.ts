import type { IncomingMessage } from "node:http";

/**
 * Who a request to the hub server comes from, once authenticated: an agent by
 * its key (scoped to one identity, never a human's), or a human by the session
 * of a paired device (browser or phone). Every HTTP and MCP-over-HTTP request
 * has one; there is no anonymous principal.
 */
export type Principal =
  | { kind: "agent"; name: string; keyId: string }
  | {
      kind: "human";
      name: string;
      deviceId: string;
      /** The token a cookie-authenticated write must echo (X-CSRF-Token). */
      csrfToken: string;
    };

/** Turns a request into its principal, or throws BatonError `unauthorized` (401) / `forbidden` (403). */
export interface Authenticator {
  authenticate(request: IncomingMessage): Promise<Principal>;
}
