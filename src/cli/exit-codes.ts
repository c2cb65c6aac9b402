import type { ErrorCode } from "../errors.js";

/** Exit codes scripts can branch on. */
export const EXIT = { ok: 0, error: 1, usage: 2, conflict: 3, notFound: 4, timeout: 5 } as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case "usage":
    case "invalid_input":
    case "outside_workspace":
    case "dependency_cycle":
      return EXIT.usage;
    case "conflict":
    case "lease_lost":
    case "approval_required":
      return EXIT.conflict;
    case "not_found":
      return EXIT.notFound;
    case "store_stalled": // waiting could not help; try again once the holder runs or ends
      return EXIT.timeout;
    default:
      return EXIT.error;
  }
}
