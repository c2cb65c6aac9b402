import { realpathSync, unlinkSync } from "node:fs";
import type { Command } from "commander";
import { BatonError } from "../../errors.js";
import { answeringHub, hubRecordPath, readHubRecord, startHubServer } from "../../server/hub-server.js";
import type { Hub } from "../../services/hub.js";
import { hubSocketPath } from "../../store/remote/protocol.js";
import { SqliteStore } from "../../store/sqlite/sqlite-store.js";
import { sleep } from "../../util/sleep.js";
import { findTree, hubRootOf, tryTree } from "../../workspace/find-root.js";
import { storeFile } from "../../workspace/store-url.js";
import { action, type CliContext } from "../context.js";
import { pairingLines } from "./access.js";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new BatonError(
      "usage",
      `--port '${value}' is not a port number`,
      "pass a port from 1 to 65535, e.g. --port 7345, or 0 for any free one",
    );
  return port;
}

interface ServeOptions {
  port: number;
  host: string;
  allowRemote?: boolean;
  stop?: boolean;
  pair?: string | false;
}

export function registerServeCommand(program: Command, version: string): void {
  program
    .command("serve")
    .description("run the hub: the one writer of the store, served to every baton process on this machine")
    .option("--port <port>", "port of the HTTP API", parsePort, 7345)
    .option("--host <address>", "address of the HTTP API (loopback unless --allow-remote)", "127.0.0.1")
    .option("--allow-remote", "let --host name an address other machines can reach")
    .option("--stop", "stop the hub running for this store")
    .option(
      "--pair <human>",
      "print a pairing link (and QR code) for this human (default: the one the config names)",
    )
    .option("--no-pair", "print no pairing link")
    .addHelpText(
      "after",
      `
While the hub runs, every baton command and \`baton mcp\` of this store use it over a
local socket (set BATON_HUB=off to open the database directly); results, errors and
exit codes are the same either way. Its record is .baton/hub.json; it ends on Ctrl-C
or SIGTERM (\`baton serve --stop\`), and if it is killed, commands open the database
directly again.`,
    )
    .action(
      action(async (ctx, o: ServeOptions) => {
        if (o.stop) return stopHub(ctx);
        if (!LOOPBACK.has(o.host) && !o.allowRemote)
          throw new BatonError(
            "usage",
            `--host ${o.host} would let other machines reach the hub`,
            "keep the default (127.0.0.1), or add --allow-remote if that is what you mean",
          );
        const running = await startHubServer({
          store: storeUrl(ctx),
          version,
          host: o.host,
          port: o.port,
          onError: (error) => ctx.out.note(`hub: ${error instanceof Error ? error.message : String(error)}`),
        });
        // SIGHUP too: the terminal it runs in closed (baton down ends the team's tmux session, the
        // hub's window with it); a hub that stops cleanly leaves no record of itself behind.
        const stopped = new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
          process.once("SIGHUP", resolve);
        });
        const url = `http://${o.host.includes(":") ? `[${o.host}]` : o.host}:${running.record.port}`;
        ctx.out.note(
          `baton hub serving ${running.hub.store.location} (pid ${process.pid})\n  local socket ${running.record.socket}\n  HTTP API     ${url}/api/v1 (MCP at ${url}/mcp)\nstop with Ctrl-C or baton serve --stop`,
        );
        if (o.pair !== false) await printPairing(ctx, running.hub, o.pair, url);
        await stopped;
        await running.close();
        const stats =
          running.hub.store instanceof SqliteStore ? running.hub.store.groupCommitStats : undefined;
        ctx.out.result({ stopped: true, pid: process.pid, ...stats }, () =>
          stats
            ? `hub stopped; it committed ${stats.operations} changes in ${stats.transactions} transactions`
            : "hub stopped",
        );
      }),
    );
}

/**
 * A one-time link for a human to pair a phone or browser, printed as the hub
 * starts (as text and as a QR code). Which human: the one named, else the only
 * one the config names; with none (or several), a line saying how.
 */
async function printPairing(
  ctx: CliContext,
  hub: Hub,
  named: string | undefined,
  url: string,
): Promise<void> {
  const humans = hub.config.humans;
  const human = named ?? (humans.length === 1 ? humans[0] : undefined);
  if (!human) {
    ctx.out.note(
      humans.length === 0
        ? "to pair a phone or browser, name its human first: baton init --human NAME, then baton pair --human NAME"
        : `to pair a phone or browser: baton pair --human NAME (one of ${humans.join(", ")})`,
    );
    return;
  }
  const ws = hub.as(human);
  if ((await ws.agents.me())?.kind !== "human") await ws.agents.join({ kind: "human" });
  const { pairing, token } = await ws.access.pair(human);
  // Styled for stderr, where serve speaks (stdout keeps the result it prints when it stops).
  ctx.out.noteLines(pairingLines(pairing, `${url}/pair#${token}`, ctx.out.errStyle));
}

function storeUrl(ctx: CliContext): string | undefined {
  return ctx.globals.store ?? (process.env.BATON_STORE || undefined);
}

/** The store's location as the hub names it, without opening it. */
function storeLocation(ctx: CliContext): string {
  const cwd = realpathSync(process.cwd());
  const url = storeUrl(ctx);
  const tree = url ? tryTree(cwd) : findTree(cwd);
  const root = tree ? hubRootOf(tree) : cwd;
  return `sqlite:${storeFile(url, root, cwd)}`;
}

/** SIGTERM to the hub named in hub.json, once its socket confirms it is that process; then waits for it to go. */
async function stopHub(ctx: CliContext): Promise<void> {
  const location = storeLocation(ctx);
  const recordPath = hubRecordPath(location);
  const record = readHubRecord(recordPath);
  const pid = (await answeringHub(hubSocketPath(location)))?.pid;
  if (pid === undefined) {
    // A hub killed with -9 leaves its record: it no longer says anything true.
    if (record) unlinkSync(recordPath);
    throw new BatonError(
      "not_found",
      "no hub runs for this store",
      record
        ? `removed the record of one that was killed (pid ${record.pid})`
        : "start one with: baton serve",
    );
  }
  if (record && record.pid !== pid)
    throw new BatonError(
      "conflict",
      `the hub answering for this store is pid ${pid}, but ${recordPath} names pid ${record.pid}`,
      `stop it by hand: kill ${pid}`,
    );
  process.kill(pid, "SIGTERM");
  for (let waited = 0; waited < 10_000; waited += 50) {
    if ((await answeringHub(hubSocketPath(location))) === undefined) {
      ctx.out.result({ stopped: true, pid }, () => `stopped the hub (pid ${pid})`);
      return;
    }
    await sleep(50);
  }
  throw new BatonError("invalid_state", `the hub (pid ${pid}) did not stop within 10 s`, `kill ${pid}`);
}
