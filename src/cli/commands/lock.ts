import type { Command } from "commander";
import type { Lease } from "../../domain/types.js";
import { confirm, declined } from "../confirm.js";
import { action, durationOption, tokenOption, withRange } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { conflictLines, leaseTable } from "../format.js";

export function registerLockCommands(program: Command): void {
  const lock = program
    .command("lock")
    .description("lease files, folders or globs before editing them: all granted or none")
    .argument("[paths...]", "paths or globs, relative to here (or absolute)")
    .option(
      "--ttl <duration>",
      withRange("how long the lease lives without a heartbeat (default: lease_ttl)", "ttl"),
      durationOption("--ttl", "ttl"),
    )
    .option("--intent <text>", "what you will do, shown to anyone who meets the lock")
    .option("--shared", "a shared lease: others may share it, nobody may hold it exclusively")
    .option(
      "--whole-workspace",
      "allow a lease on every file (., *, **, **/*), e.g. to hold the tree during a release; alone, locks **",
    )
    .addHelpText(
      "after",
      `
A lease covers what it names and everything below: a folder its contents, a name
that later becomes a folder (end it with / to say it is one), src/* the folders in src.
Globs use * (within a name), ? and ** (any depth). A pattern of wildcards alone
covers the whole workspace and needs --whole-workspace.

A path is leased on the real file: symlinks in it are followed as the system
follows them (link/.. is the parent of the link's target), so every name of a
file gives one lease, and a path that leads outside the repository is refused.
A lease whose name a later symlink sends elsewhere covers both places, and is
always released by the key \`baton locks\` shows. Not followed: links below a
leased folder or matched by a glob (the guard still resolves each edit), and
hard links (a warning names a file with several names; lock each name).
Exit code 3 and a list of holders when anything is held by someone else.
`,
    )
    .action(
      action(
        async (
          ctx,
          paths: string[],
          o: { ttl?: number; intent?: string; shared?: boolean; wholeWorkspace?: boolean },
        ) => {
          const ws = await ctx.workspace();
          const result = await ws.leases.lock(paths, {
            ttlMs: o.ttl,
            intent: o.intent,
            shared: o.shared,
            wholeWorkspace: o.wholeWorkspace,
          });
          const s = ctx.out.style;
          for (const warning of result.warnings) ctx.out.note(`warning: ${warning}`);
          ctx.out.result(
            { granted: result.granted, conflicts: result.conflicts, warnings: result.warnings },
            () =>
              result.conflicts.length
                ? [...conflictLines(result.conflicts, s, ctx.now()), s.dim("nothing was locked")]
                : result.granted.map(
                    (lease) => `${s.green("locked")} ${s.bold(lease.path)} ${s.dim(`token ${lease.token}`)}`,
                  ),
          );
          return result.conflicts.length ? EXIT.conflict : EXIT.ok;
        },
      ),
    );

  lock
    .command("check")
    .description("who holds a lease overlapping PATH (exit 3 when someone else does)")
    .argument("<path>")
    .action(
      action(async (ctx, path: string) => {
        const ws = await ctx.workspace();
        const { key, leases } = await ws.leases.checkPath(path);
        const others = leases.filter((lease) => lease.holder !== ws.identity);
        ctx.out.result({ path: key, free: others.length === 0, leases }, () =>
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
