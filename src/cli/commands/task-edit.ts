import type { Command } from "commander";
import { action, collect } from "../context.js";
import { taskLine } from "../format.js";

/** `task edit` and `task reopen`: changing a task after it was added, and bringing a finished one back. */
export function registerTaskEditCommands(task: Command): void {
  task
    .command("edit")
    .description("change an unfinished task's title, body, priority or tags")
    .argument("<id>")
    .option("--title <text>", "a new title")
    .option("--body <text>", "a new description (replaces the old one)")
    .option("--priority <0-3>", "0 is the highest")
    .option("--tag <tag>", "add a tag; repeat or comma-separate for more", collect, [])
    .option("--untag <tag>", "remove a tag; repeat or comma-separate for more", collect, [])
    .action(
      action(
        async (
          ctx,
          id: string,
          o: { title?: string; body?: string; priority?: string; tag: string[]; untag: string[] },
        ) => {
          const before = await (await ctx.workspace()).tasks.show(id);
          const edited = await (await ctx.workspace()).tasks.edit(id, {
            title: o.title,
            body: o.body,
            priority: o.priority,
            addTags: o.tag,
            removeTags: o.untag,
          });
          const same = edited.updatedAt === before.updatedAt;
          ctx.out.result({ task: edited }, () =>
            same
              ? ctx.out.style.dim(`${edited.id} already reads so: nothing changed`)
              : `edited ${taskLine(edited, ctx.out.style)}`,
          );
        },
      ),
    );

  task
    .command("reopen")
    .description(
      "put a finished task (failed, dead, cancelled; done: humans only) back in its queue, attempts reset",
    )
    .argument("<id>")
    .option("--reason <text>", "why; kept as a remark for whoever claims it next")
    .addHelpText(
      "after",
      `
A done task passed its gates and others may build on it: only a human reopens it.
The reopened task is open, unclaimed, with no attempts counted and no result; what
it had is in its history (baton task show ID).`,
    )
    .action(
      action(async (ctx, id: string, o: { reason?: string }) => {
        const reopened = await (await ctx.workspace()).tasks.reopen(id, o.reason);
        ctx.out.result({ task: reopened }, () => `reopened ${taskLine(reopened, ctx.out.style)}`);
      }),
    );
}
