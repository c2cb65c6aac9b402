import type { Command } from "commander";
import type { Lease } from "../../domain/types.js";
import { confirm, declined } from "../confirm.js";
import { action, durationOption, tokenOption } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { conflictLines, leaseTable } from "../format.js";

export function registerLockCommands(program: Command): void {
  const lock = program
    .command("lock")
    .description("lease files, folders or globs before editing them: all granted or none")
    .argument("[paths...]", "paths or globs, relative to here or to the repository root")
    .option(
      "--ttl <duration>",
      "how long the lease lives without a heartbeat (default: lease_ttl)",
      durationOption("--ttl"),
    )
    .option("--intent <text>", "what you will do, shown to anyone who meets the lock")
    .option("--shared", "a shared lease: others may share it, nobody may hold it exclusively")
    .addHelpText(
      "after",
      `
A folder covers everything below it; globs use * (within a name), ? and ** (any depth).
Exit code 3 and a list of holders when anything is held by someone else.`,
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
    .description("release every lease on PATH whatever its holder; asks first on a terminal; logged")
    .argument("<paths...>")
    .option("--yes", "release without asking (needed where nobody can answer: scripts, --json)")
    .action(
      action(async (ctx, paths: string[], o: { yes?: boolean }) => {
        const ws = await ctx.workspace();
        const seen = await ws.leases.forceReleasePreview(paths);
        // Nothing held: no question; the release itself says not_found.
        if (seen.length > 0) {
          const ok = await confirm(ctx, {
            command: "lock force-release",
            yes: o.yes,
            ...releaseQuestion(seen),
          });
          if (!ok) return declined(ctx);
        }
        const released = await ws.leases.forceRelease(paths, {
          onlyTokens: seen.length > 0 ? seen.map((lease) => lease.token) : undefined,
        });
        ctx.out.result({ released }, () =>
          released.map((lease) => `force-released ${lease.path} (was held by ${lease.holder})`),
        );
      }),
    );

  program
    .command("unlock")
    .description("release your leases; a path you do not hold is left as it is")
    .argument("<paths...>")
    .option("--token <n>", "the lease's token; refused if the lease was lost", tokenOption)
    .action(
      action(async (ctx, paths: string[], o: { token?: number }) => {
        const { released, notHeld } = await (await ctx.workspace()).leases.unlock(paths, o);
        const s = ctx.out.style;
        ctx.out.result({ released, notHeld }, () => [
          ...released.map((lease) => `unlocked ${lease.path}`),
          ...notHeld.map((path) => s.dim(`not held by you: ${path} (nothing to unlock)`)),
        ]);
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

/** "Release alice's lease on src/a.ts (token 12)?", or the list and "Release these 3 leases?". */
function releaseQuestion(leases: Lease[]): { details: string[]; question: string } {
  const one = (lease: Lease) =>
    `${lease.holder}'s ${lease.exclusive ? "" : "shared "}lease on ${lease.path} (token ${lease.token}${lease.intent ? `, to ${lease.intent}` : ""})`;
  if (leases.length === 1) return { details: [], question: `Release ${one(leases[0]!)}?` };
  return {
    details: leases.map((lease) => `  ${one(lease)}`),
    question: `Release these ${leases.length} leases?`,
  };
}
