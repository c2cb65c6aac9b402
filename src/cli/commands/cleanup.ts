import type { Command } from "commander";
import type { WorktreeScript } from "../../domain/team-config.js";
import type { Agent } from "../../domain/types.js";
import { type ErrorShape, toBatonError } from "../../errors.js";
import { agentLooksAlive, agentNamed, type Liveness } from "../../orchestrator/liveness.js";
import { teamView } from "../../orchestrator/team/team-view.js";
import { worktreeNames } from "../../orchestrator/worktrees/list.js";
import { locateWorktree } from "../../orchestrator/worktrees/locate.js";
import { mainRoot, worktreeName, worktreeRelative } from "../../orchestrator/worktrees/paths.js";
import { planRemoval, removeWorktree } from "../../orchestrator/worktrees/remove.js";
import type { SavedWip } from "../../orchestrator/worktrees/wip.js";
import { findTree } from "../../workspace/find-root.js";
import { readWorktreeAgent } from "../../workspace/worktree-agent.js";
import { action, type CliContext } from "../context.js";
import { EXIT, exitCodeFor } from "../exit-codes.js";

/** What cleanup did with one worktree. */
interface CleanupItem {
  name: string;
  outcome: "removed" | "would remove" | "kept";
  /** Why it was kept: alive, uncommitted, locked, or the refusal's code. */
  reason?: string;
  path?: string;
  branch?: string | null;
  changes?: string[];
  /** The snapshot saved before the removal, with the words that restore it. */
  wip?: SavedWip;
  error?: ErrorShape;
}

const REASON_WORDS: Record<string, string> = {
  alive: "alive",
  archive: "the archive script failed",
  uncommitted: "uncommitted changes",
  locked: "locked",
};

export function registerCleanupCommand(program: Command): void {
  program
    .command("cleanup")
    .description(
      "remove agents' worktrees (.baton/worktrees/NAME): their branches stay and their work is saved in a wip ref; a live agent's is always kept",
    )
    .argument("[names...]", "the agents whose worktrees go (default: every one under .baton/worktrees)")
    .option(
      "--force",
      "also remove worktrees with uncommitted changes (saved in the wip ref first); never a live agent's",
    )
    .addHelpText(
      "after",
      `
Only worktrees under .baton/worktrees are touched: one you made elsewhere
(git worktree add ../x) is never listed or removed, and a symlink there is refused.

Before each removal every file of the worktree, committed, staged, unstaged and
untracked, is saved as a commit under refs/baton/wip/NAME/<UTC time>, also when
it is clean (the ref then names the branch tip); the branch baton/NAME stays.
Ignored files (builds, node_modules, .env copies) are not saved. Each removal
prints how to get the work back; git for-each-ref refs/baton/wip/ lists them all,
git update-ref -d REF deletes one.

A worktree is kept when its agent looks alive (heard from within hung_after,
see .baton/config.json; --force does not change that), when it is locked
(git worktree lock), or when it holds uncommitted changes and --force is not
given. Exit code 3 when any was kept.

The config's "team.archive" script runs in each worktree after its work is
saved and before it is removed, with BATON_AGENT and BATON_WIP_REF; if it
fails, the worktree is kept.`,
    )
    .action(
      action(async (ctx, names: string[], o: { force?: boolean }) => {
        // Typed names are checked before anything is done: `../x` is a mistake, not a worktree to keep.
        for (const name of names) worktreeName(name);
        const ws = await ctx.workspace();
        const root = mainRoot(ws.root);
        const wanted = names.length > 0 ? [...new Set(names)] : worktreeNames(root);
        const agents = await ws.agents.list();
        const running = new Set(
          ((await teamView(root))?.agents ?? []).filter((a) => a.process === "running").map((a) => a.name),
        );
        const items: CleanupItem[] = [];
        // One at a time: each may run the team's archive script.
        for (const name of wanted)
          items.push(
            await cleanOne(ctx, root, name, o.force === true, ws.config.team.archive, (recorded) =>
              liveness([name, ...recorded], agents, ctx.now(), ws.config.hungAfterMs, running),
            ),
          );
        const kept = items.filter((item) => item.outcome === "kept");
        ctx.out.result(
          {
            worktrees: items,
            removed: items.filter((item) => item.outcome !== "kept").map((item) => item.name),
            kept: kept.map((item) => item.name),
          },
          () => itemLines(ctx, items),
        );
        return exitFor(kept);
      }),
    );
}

async function cleanOne(
  ctx: CliContext,
  root: string,
  name: string,
  force: boolean,
  archive: WorktreeScript | null,
  livenessOf: (recorded: string[]) => Liveness,
): Promise<CleanupItem> {
  try {
    const found = locateWorktree(root, name);
    // The agent recorded in the worktree counts too: a tree renamed by hand still holds its agent's work.
    const recorded = found.registered.prunable ? undefined : readWorktreeAgent(findTree(found.path).gitDir);
    const live = livenessOf(recorded ? [recorded] : []);
    const options = { force, alive: live.alive, aliveBecause: live.because, at: new Date(ctx.now()) };
    if (ctx.globals.dryRun) {
      const plan = planRemoval(root, name, options);
      return { outcome: "would remove", ...plan };
    }
    const removed = await removeWorktree(root, name, { ...options, archive });
    return { outcome: "removed", ...removed };
  } catch (thrown) {
    const error = toBatonError(thrown);
    const reason = (error.details?.reason as string | undefined) ?? error.code;
    return { name, outcome: "kept", reason, error: error.toJSON() };
  }
}

/** Alive if the store shows any of the names (the folder's, the recorded agent's) at work. */
function liveness(
  names: string[],
  agents: readonly Agent[],
  now: number,
  hungAfterMs: number,
  running: ReadonlySet<string>,
): Liveness {
  const answers = [...new Set(names)].map((name) => {
    const answer = agentLooksAlive({
      agent: agentNamed(agents, name),
      now,
      hungAfterMs,
      running: running.has(name) || undefined,
    });
    return names[0] === name ? answer : { ...answer, because: `${name}: ${answer.because}` };
  });
  return answers.find((answer) => answer.alive) ?? answers[0]!;
}

function itemLines(ctx: CliContext, items: CleanupItem[]): string[] {
  const s = ctx.out.style;
  if (items.length === 0) return [s.dim("no worktrees under .baton/worktrees")];
  return items.flatMap((item) => {
    if (item.outcome === "kept") {
      const error = item.error!;
      return [
        `${s.bold(item.name)}  ${s.yellow(`kept: ${REASON_WORDS[item.reason ?? ""] ?? item.reason}`)}`,
        `  ${error.message}`,
        s.dim(`  hint: ${error.hint}`),
      ];
    }
    const branch = item.branch ? ` (branch ${item.branch} kept)` : "";
    if (item.outcome === "would remove") {
      const changes = item.changes?.length
        ? `, saving ${item.changes.length} uncommitted changes in a wip ref`
        : "";
      return [`${s.bold(item.name)}  would remove ${worktreeRelative(item.name)}${branch}${changes}`];
    }
    return [
      `${s.bold(item.name)}  ${s.green("removed")} ${worktreeRelative(item.name)}${branch}`,
      `  work saved in ${item.wip!.ref}${item.wip!.dirty ? " (with uncommitted changes)" : ""}`,
      s.dim(`  restore: ${item.wip!.restore.worktree}`),
    ];
  });
}

/** Conflict (3) when any was kept for a reason a person must act on; otherwise the refusal's own code. */
function exitFor(kept: CleanupItem[]): number {
  if (kept.length === 0) return EXIT.ok;
  const codes = kept.map((item) => exitCodeFor(item.error!.code));
  return codes.includes(EXIT.conflict) ? EXIT.conflict : codes[0]!;
}
