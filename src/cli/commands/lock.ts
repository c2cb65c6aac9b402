import type { Command } from "commander";
import { action, durationOption, tokenOption, withRange } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { conflictLines, leaseTable } from "../format.js";

export function registerLockCommands(program: Command): void {
  const lock = program
    .command("lock")
    .description("lease files, folders or globs before editing them: all granted or none")
    .argument("[paths...]", "paths or globs, relative to here or to the repository root")
    .option(
      "--ttl <duration>",
      withRange("how long the lease lives without a heartbeat (default: lease_ttl)", "ttl"),
      durationOption("--ttl", "ttl"),
    )
    .option("--intent <text>", "what you will do, shown to anyone who meets the lock")
    .option("--shared", "a shared lease: others may share it, nobody may hold it exclusively")
    .addHelpText(
      "after",
      `
A folder covers everything below it; globs use * (within a name), ? and ** (any depth).
Exit code 3 and a list of holders when anything is held by someone else.

Examples:
  baton lock src/auth/login.ts --intent "fix redirect"
  baton lock 'src/api/**/*.ts' --ttl 30m
  baton lock check src/auth/login.ts    # who holds it?
  baton lock force-release src/auth     # free a lock whose holder is gone (logged)`,
    )
    .action(
      action(async (ctx, paths: string[], o: { ttl?: number; intent?: string; shared?: boolean }) => {
        const ws = await ctx.workspace();
        const result = await ws.leases.lock(paths, { ttlMs: o.ttl, intent: o.intent, shared: o.shared });
        const s = ctx.out.style;
        ctx.out.result({ granted: result.granted, conflicts: result.conflicts }, () =>
          result.conflicts.length
            ? [...conflictLines(result.conflicts, s, ctx.now()), s.dim("nothing was locked")]
            : result.granted.map(
                (lease) => `${s.green("locked")} ${s.bold(lease.path)} ${s.dim(`token ${lease.token}`)}`,
              ),
        );
        return result.conflicts.length ? EXIT.conflict : EXIT.ok;
      }),
    );

  lock
    .command("check")
    .description("who holds a lease overlapping PATH (exit 3 when someone else does)")
    .argument("<path>")
    .action(
      action(async (ctx, path: string) => {
        const ws = await ctx.workspace();
        const leases = await ws.leases.check(path);
        const others = leases.filter((lease) => lease.holder !== ws.identity);
        ctx.out.result({ path: ws.leases.normalise([path])[0], free: others.length === 0, leases }, () =>
          leases.length ? leaseTable(leases, ctx.out.style, ctx.now()) : ctx.out.style.green("free"),
        );
        return others.length ? EXIT.conflict : EXIT.ok;
      }),
    );

  lock
    .command("force-release")
    .description("release every lease on PATH whatever its holder; recorded in the log")
    .argument("<paths...>")
    .action(
      action(async (ctx, paths: string[]) => {
        const released = await (await ctx.workspace()).leases.forceRelease(paths);
        ctx.out.result({ released }, () =>
          released.map((lease) => `force-released ${lease.path} (was held by ${lease.holder})`),
        );
      }),
    );

  program
    .command("unlock")
    .description("release your leases")
    .argument("<paths...>")
    .option("--token <n>", "the lease's token; refused if the lease was lost", tokenOption)
    .action(
      action(async (ctx, paths: string[], o: { token?: number }) => {
        const released = await (await ctx.workspace()).leases.unlock(paths, o);
        ctx.out.result({ released }, () => released.map((lease) => `unlocked ${lease.path}`));
      }),
    );

  program
    .command("locks")
    .description("live leases")
    .option("--holder <agent>", "only this agent's")
    .action(
      action(async (ctx, o: { holder?: string }) => {
        const leases = await (await ctx.workspace()).leases.list(o);
        ctx.out.result({ leases }, () => leaseTable(leases, ctx.out.style, ctx.now()));
      }),
    );
}
