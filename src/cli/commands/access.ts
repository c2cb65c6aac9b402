import type { Command } from "commander";
import type { AgentKey, Device, Pairing } from "../../domain/access.js";
import { oneLine as t } from "../../util/control-chars.js";
import { formatDuration } from "../../util/duration.js";
import { encodeQr, renderQr } from "../../util/qr-code.js";
import { hubBaseUrl } from "../../workspace/hub-address.js";
import { action, type CliContext, durationOption } from "../context.js";
import { type Style, table } from "../style.js";

/** Keys for agents and paired devices for humans: who may reach the hub server (baton serve). */

function when(at: number | null, now: number): string {
  return at === null ? "-" : `${formatDuration(Math.max(0, now - at))} ago`;
}

function keyTable(keys: AgentKey[], s: Style, now: number): string {
  if (keys.length === 0) return s.dim("no keys: a human makes one with baton key create --agent NAME");
  const rows = [["KEY", "AGENT", "ROLE", "CREATED", "BY", "LAST USED", "REVOKED"].map(s.dim)];
  for (const k of keys)
    rows.push([
      s.bold(k.id),
      t(k.agent),
      t(k.role ?? ""),
      when(k.createdAt, now),
      t(k.createdBy),
      when(k.lastUsedAt, now),
      k.revokedAt === null ? "-" : s.red(`${when(k.revokedAt, now)} by ${t(k.revokedBy ?? "")}`),
    ]);
  return table(rows, s.columns, [4, 2, 3]);
}

function deviceTable(devices: Device[], s: Style, now: number): string {
  if (devices.length === 0) return s.dim("no paired devices: a human pairs one with baton pair --human NAME");
  const rows = [["DEVICE", "HUMAN", "NAME", "PAIRED", "LAST USED", "REVOKED"].map(s.dim)];
  for (const d of devices)
    rows.push([
      s.bold(d.id),
      t(d.human),
      t(d.name),
      when(d.pairedAt, now),
      when(d.lastUsedAt, now),
      d.revokedAt === null ? "-" : s.red(`${when(d.revokedAt, now)} by ${t(d.revokedBy ?? "")}`),
    ]);
  return table(rows, s.columns, [3, 2]);
}

/**
 * The link as a QR code. With colour, black on white whatever the theme; without, the
 * terminal's own colours: light modules are drawn in its text colour, as on the usual dark
 * background (phone cameras read the inverted code a light background gives, too).
 */
function qrLines(link: string, s: Style): string[] {
  const colour = s.codes.length > 0;
  return renderQr(encodeQr(link), { invert: !colour }).map((line) => (colour ? s.paper(line) : line));
}

/** A pairing link as people see it: what it is, a QR code of it, the link itself (`baton pair`, `baton serve`). */
export function pairingLines(pairing: Pairing, link: string, s: Style): string[] {
  return [
    `Pairing link ${s.bold(pairing.id)} for ${t(pairing.human)}, works once, for ${formatDuration(pairing.expiresAt - pairing.createdAt)}:`,
    "",
    ...qrLines(link, s),
    "",
    link,
    "",
    s.dim("Open it on the phone or in the browser to pair; see paired devices with baton devices."),
  ];
}

export function registerAccessCommands(program: Command): void {
  const key = program.command("key").description("keys for agents to reach the hub server (humans only)");
  key
    .command("create")
    .description("make a key for one agent; it is shown once")
    .requiredOption("--agent <name>", "the agent the key acts as (never a human)")
    .option("--role <role>", "the agent's role")
    .action(
      action(async (ctx, o: { agent: string; role?: string }) => {
        const { key: made, secret } = await (await ctx.workspace()).access.createKey(o.agent, {
          role: o.role,
        });
        const s = ctx.out.style;
        ctx.out.result({ key: made, secret }, () => [
          `${s.bold(made.id)} for ${t(made.agent)}${made.role ? `, role ${t(made.role)}` : ""}:`,
          "",
          `  ${secret}`,
          "",
          s.yellow("It will not be shown again: copy it now (only its hash is kept)."),
          `Send it on every request as ${s.bold(`Authorization: Bearer ${secret.slice(0, 6)}…`)}; in an MCP`,
          'client\'s config for the hub\'s /mcp, as the header: "headers": { "Authorization": "Bearer KEY" }.',
          s.dim(`Revoke it with baton key revoke ${made.id}.`),
        ]);
      }),
    );
  key
    .command("list")
    .description("every key: its agent, role, when made and last used, and whether revoked")
    .action(
      action(async (ctx) => {
        const keys = await (await ctx.workspace()).access.keys();
        ctx.out.result({ keys }, () => keyTable(keys, ctx.out.style, ctx.now()));
      }),
    );
  key
    .command("revoke")
    .description("revoke a key: it stops working at its next request")
    .argument("<id>", "K-ID")
    .action(
      action(async (ctx, id: string) => {
        const revoked = await (await ctx.workspace()).access.revokeKey(id);
        ctx.out.result(
          { key: revoked },
          () => `${ctx.out.style.bold(revoked.id)} of ${t(revoked.agent)} is revoked`,
        );
      }),
    );

  const devices = program
    .command("devices")
    .description("the browsers and phones humans paired with the hub server")
    .action(
      action(async (ctx) => {
        const list = await (await ctx.workspace()).access.devices();
        ctx.out.result({ devices: list }, () => deviceTable(list, ctx.out.style, ctx.now()));
      }),
    );
  devices
    .command("revoke")
    .description("revoke a device's session: it stops working at its next request (humans only)")
    .argument("<id>", "D-ID")
    .action(
      action(async (ctx, id: string) => {
        const revoked = await (await ctx.workspace()).access.revokeDevice(id);
        ctx.out.result(
          { device: revoked },
          () => `${ctx.out.style.bold(revoked.id)} (${t(revoked.name)} of ${t(revoked.human)}) is revoked`,
        );
      }),
    );

  program
    .command("pair")
    .description("a one-time link (and QR code) for a human to pair a browser or phone (humans only)")
    .requiredOption("--human <name>", "the person the device will act as (named in config.json humans)")
    .option("--ttl <duration>", "how long the link works (default 10m)", durationOption("--ttl", "ttl"))
    .action(action(async (ctx, o: { human: string; ttl?: number }) => pair(ctx, o)));
}

async function pair(ctx: CliContext, o: { human: string; ttl?: number }): Promise<void> {
  const ws = await ctx.workspace();
  const { pairing, token } = await ws.access.pair(o.human, { ttlMs: o.ttl });
  // The token travels in the fragment: browsers do not send it to servers or proxies, and a
  // chat app's link preview cannot spend it. The hub's /pair page reads it and redeems it.
  const link = `${hubBaseUrl(ws.root)}/pair#${token}`;
  const s = ctx.out.style;
  ctx.out.result({ pairing, link }, () => pairingLines(pairing, link, s));
}
