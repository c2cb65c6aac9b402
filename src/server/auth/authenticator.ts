import type { IncomingMessage } from "node:http";
import { type BatonConfig, isConfiguredHuman } from "../../domain/config.js";
import { BatonError } from "../../errors.js";
import { csrfTokenFor, hashSecret } from "../../services/secrets.js";
import type { Store } from "../../store/port.js";
import type { Authenticator, Principal } from "../principal.js";
import { checkCsrf } from "./csrf.js";
import { checkOrigin, type ServedNames } from "./origin-check.js";
import type { RateLimiter } from "./rate-limit.js";
import { readSessionCookie } from "./session-cookie.js";

export interface StoreAuthenticatorOptions {
  store: Store;
  /** The team's humans are read from here on every request, so a name taken out of the config stops at once. */
  config: () => BatonConfig;
  served: ServedNames;
  limiter?: RateLimiter;
}

/** Longer than any secret baton makes (3 + 43 characters): not worth hashing. */
const MAX_SECRET = 200;

const PAIR_HINT = "pair this browser again: a human runs baton pair --human NAME and opens the link";

/**
 * The hub server's authenticator over the store, in the order that refuses
 * cheapest first: the Host and Origin (DNS rebinding), the credential (a key
 * as `Authorization: Bearer`, or a paired device's `baton_session` cookie,
 * looked up on every request so a revocation applies to the next one), the
 * CSRF token on a cookie-authenticated write, then the caller's rate limit.
 *
 * The principal's name comes from the credential alone: nothing in the request
 * (a header, a parameter, a body field) can choose another identity.
 */
export class StoreAuthenticator implements Authenticator {
  constructor(private readonly options: StoreAuthenticatorOptions) {}

  async authenticate(request: IncomingMessage): Promise<Principal> {
    checkOrigin(request, this.options.served);
    const principal = await this.identify(request);
    checkCsrf(request, principal);
    this.options.limiter?.take(principal.kind === "agent" ? principal.keyId : principal.deviceId);
    return principal;
  }

  private async identify(request: IncomingMessage): Promise<Principal> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) return this.agent(authorization);
    const session = readSessionCookie(request.headers.cookie);
    if (session !== undefined) return this.human(session);
    throw new BatonError("unauthorized", "this request carries no credentials", {
      cli: "an agent sends Authorization: Bearer KEY (a human makes one with baton key create --agent NAME); a person pairs a browser with baton pair --human NAME",
      tool: "the MCP client must send the agent's key as Authorization: Bearer KEY",
    });
  }

  private async agent(authorization: string): Promise<Principal> {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    if (!match) {
      throw new BatonError(
        "unauthorized",
        "the Authorization header must be Bearer followed by a key",
        "send Authorization: Bearer KEY, with the key baton key create printed",
      );
    }
    const secret = match[1]!;
    const key =
      secret.length > MAX_SECRET ? null : await this.options.store.useKey({ secretHash: hashSecret(secret) });
    if (!key) {
      throw new BatonError("unauthorized", "this key is unknown or was revoked", {
        cli: "ask a human for a new key: baton key create --agent NAME (baton key list shows which are live)",
        tool: "this key no longer works: ask the human for a new one",
      });
    }
    // A key is an agent's: should its name since have been made a human, it must not carry a person's powers.
    if (isConfiguredHuman(this.options.config(), key.agent)) {
      throw new BatonError(
        "forbidden",
        `key ${key.id} was made for ${key.agent}, who is now one of the humans: a key never acts as a person`,
        "revoke it (baton key revoke ID); the person pairs a browser with baton pair --human NAME",
        { keyId: key.id },
      );
    }
    return { kind: "agent", name: key.agent, keyId: key.id };
  }

  private async human(secret: string): Promise<Principal> {
    const device =
      secret.length > MAX_SECRET
        ? null
        : await this.options.store.useDevice({ secretHash: hashSecret(secret) });
    if (!device)
      throw new BatonError("unauthorized", "this browser's session is unknown or was revoked", PAIR_HINT);
    if (!isConfiguredHuman(this.options.config(), device.human)) {
      throw new BatonError(
        "forbidden",
        `${device.human}, whose device ${device.id} this is, is no longer one of the humans in .baton/config.json`,
        'a person is named in "humans" in .baton/config.json',
        { deviceId: device.id },
      );
    }
    return { kind: "human", name: device.human, deviceId: device.id, csrfToken: csrfTokenFor(secret) };
  }
}
