/**
 * Who may reach the hub server: agent keys (one identity each) and the devices
 * a human paired (a browser, a phone). What is kept is never the secret itself,
 * only its SHA-256 hash; these records are what lists show.
 */

/** An agent's key for the hub server: `K-3`. The secret was shown once, when it was made. */
export interface AgentKey {
  id: string;
  /** The one identity the key acts as. */
  agent: string;
  role: string | null;
  createdAt: number;
  createdBy: string;
  /** Recorded at most every few seconds, so a busy key does not write on every request. */
  lastUsedAt: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
}

/** A one-time link for a human to pair a device: `P-2`. */
export interface Pairing {
  id: string;
  human: string;
  createdAt: number;
  createdBy: string;
  expiresAt: number;
  usedAt: number | null;
  /** The device it was redeemed into. */
  device: string | null;
}

/** A human's paired browser or phone, with its session: `D-4`. */
export interface Device {
  id: string;
  human: string;
  /** Given at pairing, or taken from the browser's user agent. */
  name: string;
  pairedAt: number;
  pairing: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
}

/** How stale a key's or device's last use may get: a request every millisecond must not be a write each. */
export const LAST_USE_PRECISION_MS = 10_000;
