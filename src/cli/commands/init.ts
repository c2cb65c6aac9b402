import { relative } from "node:path";
import type { Command } from "commander";
import { nameHumans } from "../../services/humans.js";
import { validateAgentName } from "../../services/identity.js";
import { openWorkspace } from "../../services/workspace.js";
import { findRepositoryRoot } from "../../workspace/find-root.js";
import { initWorkspaceFiles } from "../../workspace/init.js";
import { action, collect } from "../context.js";

export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description("set baton up in this repository: .baton/config.json, .baton/.gitignore and the database")
    .option("--force", "overwrite an existing config.json with the defaults")
    .option(
      "--human <name>",
      'a person on the team (repeatable): named in config.json "humans", the only names that may approve',
      collect,
      [],
    )
    .action(
      action(async (ctx, o: { force?: boolean; human: string[] }) => {
        const root = findRepositoryRoot(process.cwd());
        const dryRun = ctx.globals.dryRun === true;
        const humans = o.human.map((name) => validateAgentName(name));
        const result = initWorkspaceFiles(root, { force: o.force, dryRun, humans });
        // A config that was kept gets the names added, its comments and other keys untouched.
        const config = humans.length ? await nameHumans(root, humans, { dryRun }) : undefined;
        let store: string | undefined;
        if (!dryRun) {
          const ws = await openWorkspace({ cwd: root, store: ctx.globals.store });
          store = ws.store.location;
          await ws.close();
        }
        const show = (path: string) => relative(process.cwd(), path) || ".";
        const named = config?.humans ?? [];
        ctx.out.result({ ...result, store: store ?? null, ...(config ? { humans: named } : {}) }, () => [
          ...result.created.map((path) => `wrote ${show(path)}`),
          ...result.kept.map((path) => `kept ${show(path)} (--force to overwrite)`),
          ...(store ? [`store ${store.startsWith("sqlite:") ? show(store.slice(7)) : store}`] : []),
          ...(named.length ? [`humans ${named.join(", ")} (config.json "humans")`] : []),
          "",
          named.length
            ? `next: baton agent join ${named[0]} --kind human   then   export BATON_AGENT=${named[0]}`
            : "next: baton init --human NAME (you, the person who approves)   then   export BATON_AGENT=NAME",
          '      baton task add "first task"           baton task list',
        ]);
      }),
    );
}
