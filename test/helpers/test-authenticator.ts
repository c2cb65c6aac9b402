import type { IncomingMessage } from "node:http";
import { BatonError } from "../../src/errors.js";
import type { Authenticator, Principal } from "../../src/server/principal.js";

/**
 * A TEST HELPER, never for a server: `Authorization: Bearer test-NAME` is the
 * agent NAME (key id `key-NAME`), `Bearer human-NAME` the human NAME on a
 * paired device; anything else is 401. It stands in for the real
 * authenticator (keys, device sessions) so the HTTP tests exercise the
 * handler; the principal it returns is the same type the real one returns.
 */
export const testAuthenticator: Authenticator = {
  async authenticate(request: IncomingMessage): Promise<Principal> {
    const header = request.headers.authorization ?? "";
    // `Bearer human-NAME@D-3`: the human NAME on the real paired device D-3 (routes that act on "this device").
    const onDevice = /^Bearer human-([A-Za-z0-9][A-Za-z0-9_.-]{0,63})@(D-\d{1,9})$/.exec(header);
    if (onDevice)
      return { kind: "human", name: onDevice[1]!, deviceId: onDevice[2]!, csrfToken: `csrf-${onDevice[1]}` };
    const match = /^Bearer (test|human)-([A-Za-z0-9][A-Za-z0-9_.@-]{0,63})$/.exec(header);
    if (!match)
      throw new BatonError("unauthorized", "no valid credentials", "send Authorization: Bearer test-NAME");
    const [, kind, name] = match;
    return kind === "test"
      ? { kind: "agent", name: name!, keyId: `key-${name}` }
      : { kind: "human", name: name!, deviceId: `device-${name}`, csrfToken: `csrf-${name}` };
  },
};

/** The Authorization header for an agent (`test-NAME`) or a human (`human-NAME`). */
export const asAgent = (name: string) => ({ authorization: `Bearer test-${name}` });
export const asHuman = (name: string) => ({ authorization: `Bearer human-${name}` });
/** The human NAME on the paired device `device` (a real one, made by redeeming a pairing). */
export const asHumanOn = (name: string, device: string) => ({
  authorization: `Bearer human-${name}@${device}`,
});
