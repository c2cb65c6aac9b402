import { relative } from "node:path";
import type { Command } from "commander";
import { openWorkspace } from "../../services/workspace.js";
import { findRepositoryRoot } from "../../workspace/find-root.js";
import { initWorkspaceFiles } from "../../workspace/init.js";
import { action } from "../context.js";

export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description("set baton up in this repository: .baton/config.json, .baton/.gitignore and the database")
    .option("--force", "overwrite an existing config.json with the defaults")
    .action(
      action(async (ctx, o: { force?: boolean }) => {
        const root = findRepositoryRoot(process.cwd());
        const dryRun = ctx.globals.dryRun === true;
        const result = initWorkspaceFiles(root, { force: o.force, dryRun });
        let store: string | undefined;
        if (!dryRun) {
          const ws = await openWorkspace({ cwd: root, store: ctx.globals.store });
          store = ws.store.location;
          await ws.close();
        }
        const show = (path: string) => relative(process.cwd(), path) || ".";
        ctx.out.result({ ...result, store: store ?? null }, () => [
          ...result.created.map((path) => `wrote ${show(path)}`),
          ...result.kept.map((path) => `kept ${show(path)} (--force to overwrite)`),
          ...(store ? [`store ${store.startsWith("sqlite:") ? show(store.slice(7)) : store}`] : []),
          "",
          "next: baton agent join NAME --kind human   then   export BATON_AGENT=NAME",
          '      baton task add "first task"           baton task list',
        ]);
      }),
    );
}
