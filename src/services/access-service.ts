import type { AgentKey, Device, Pairing } from "../domain/access.js";
import { isConfiguredHuman, notAHumanError } from "../domain/config.js";
import { optionalText } from "../domain/limits.js";
import { BatonError } from "../errors.js";
import { requireConfiguredHuman } from "./humans.js";
import { validateAgentName } from "./identity.js";
import { hashSecret, KEY_PREFIX, newSecret, PAIRING_PREFIX } from "./secrets.js";
import type { ServiceContext } from "./service-context.js";

/** How long a pairing link works unless told otherwise: long enough to reach for a phone. */
export const DEFAULT_PAIRING_TTL_MS = 10 * 60_000;

/**
 * Who may reach the hub server: keys for agents, pairing links and devices for
 * the humans. Only a human named in the config makes or revokes any of them.
 * A secret is returned once, here, and kept nowhere but by whoever it is given to.
 */
export class AccessService {
  constructor(private readonly ctx: ServiceContext) {}

  async createKey(
    agent: string,
    options: { role?: string } = {},
  ): Promise<{ key: AgentKey; secret: string }> {
    const name = validateAgentName(agent);
    requireConfiguredHuman(this.ctx, `create a key for ${name}`);
    if (isConfiguredHuman(this.ctx.config, name)) {
      throw new BatonError(
        "forbidden",
        `${name} is one of the humans: a key acts as an agent, never as a person`,
        {
          cli: `${name} pairs a browser or phone instead: baton pair --human ${name}`,
          tool: "a key is for an agent: name one that is not a human",
        },
      );
    }
    const secret = newSecret(KEY_PREFIX);
    const key = await this.ctx.store.createKey({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      agent: name,
      role: optionalText("role", options.role),
      secretHash: hashSecret(secret),
    });
    return { key, secret };
  }

  async keys(): Promise<AgentKey[]> {
    return this.ctx.store.listKeys();
  }

  async revokeKey(id: string): Promise<AgentKey> {
    requireConfiguredHuman(this.ctx, `revoke key ${id}`);
    return this.ctx.store.revokeKey({ actor: this.ctx.actor(), dryRun: this.ctx.dryRun, id });
  }

  /** A one-time link's token for `human` (a human named in the config), valid `ttlMs`. */
  async pair(human: string, options: { ttlMs?: number } = {}): Promise<{ pairing: Pairing; token: string }> {
    const name = validateAgentName(human);
    requireConfiguredHuman(this.ctx, `create a pairing link for ${name}`);
    if (!isConfiguredHuman(this.ctx.config, name))
      throw notAHumanError(name, "pair a device", this.ctx.config);
    const ttlMs = options.ttlMs ?? DEFAULT_PAIRING_TTL_MS;
    // Long enough to find a phone; short, because whoever holds the link until then becomes the human.
    if (!(ttlMs >= 60_000 && ttlMs <= 24 * 3_600_000))
      throw new BatonError("invalid_input", "a pairing link works from 1m to 24h", {
        cli: "pass a --ttl from 1m to 24h, e.g. --ttl 10m",
        tool: "give a lifetime from 1m to 24h",
      });
    const token = newSecret(PAIRING_PREFIX);
    const pairing = await this.ctx.store.createPairing({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      human: name,
      tokenHash: hashSecret(token),
      ttlMs,
    });
    return { pairing, token };
  }

  async devices(): Promise<Device[]> {
    return this.ctx.store.listDevices();
  }

  async revokeDevice(id: string): Promise<Device> {
    requireConfiguredHuman(this.ctx, `revoke device ${id}`);
    return this.ctx.store.revokeDevice({ actor: this.ctx.actor(), dryRun: this.ctx.dryRun, id });
  }
}
