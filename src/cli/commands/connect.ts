import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Command } from "commander";
import { BatonError } from "../../errors.js";
import { preEdit, sessionStart, stop } from "../../hosts/hook-handlers.js";
import { HOSTS, type Host } from "../../hosts/host-names.js";
import { protocolText } from "../../hosts/instructions.js";
import { lineDiff } from "../../hosts/line-diff.js";
import { requireIdentity } from "../../services/identity.js";
import { findRepositoryRoot } from "../../workspace/find-root.js";
import { action } from "../context.js";

type ConnectModule = typeof import("../../hosts/connect.js");

export function registerConnectCommands(program: Command): void {
  program
    .command("connect")
    .description(
      "connect an agent host to this workspace: MCP config (claude, codex, gemini) or instructions (pi, aider, shell)",
    )
    .argument("<host>", HOSTS.join(" | "))
    .option("--scope <scope>", "project (files in the repository) or user (your home folder)", "project")
    .addHelpText(
      "after",
      `
Writes, merging into what is there (other servers, unknown keys and comments are kept; running it
twice changes nothing):
  claude  .mcp.json, and .claude/settings.json hooks: before Edit/Write/MultiEdit \`baton hook pre-edit\`
          denies an edit of a file another agent has locked; SessionStart and Stop hooks
  codex   .codex/config.toml [mcp_servers.baton]      gemini  .gemini/settings.json
  pi, shell  AGENTS.md section                         aider   CONVENTIONS.md section
With --scope user: ~/.claude.json and ~/.claude/settings.json, ~/.codex/config.toml, ~/.gemini/settings.json.
--dry-run prints the diff and writes nothing.

Example:  baton connect claude --as claude-1`,
    )
    .action(
      action(async (ctx, host: string, o: { scope: string }) => {
        if (!HOSTS.includes(host as Host))
          throw new BatonError("usage", `unknown host '${host}'`, `use one of: ${HOSTS.join(", ")}`);
        if (o.scope !== "project" && o.scope !== "user")
          throw new BatonError("usage", `bad --scope '${o.scope}'`, "use project or user");
        const agent = requireIdentity(ctx.globals.as ?? (process.env.BATON_AGENT || undefined));
        const root = findRepositoryRoot(process.cwd());
        // Loaded at run time, outside the CLI bundle: its file-format parsers are for this command only.
        const { planConnect, writeTextAtomic } = (await import(
          new URL("../hosts/connect.js", import.meta.url).href
        )) as ConnectModule;
        const changes = planConnect(host as Host, { root, agent, scope: o.scope });
        const changed = changes.filter((c) => c.before !== c.after);
        if (!ctx.globals.dryRun) for (const c of changed) writeTextAtomic(c.path, c.after);
        const show = (path: string) => relative(process.cwd(), path) || path;
        ctx.out.result(
          { host, agent, files: changes.map((c) => ({ path: c.path, changed: c.before !== c.after })) },
          () => {
            if (changed.length === 0) return `${host} is already connected as ${agent}; nothing to change`;
            if (ctx.globals.dryRun)
              return changed.flatMap((c) => [`--- ${show(c.path)}`, lineDiff(c.before, c.after)]);
            return changed.map((c) => `wrote ${show(c.path)}`);
          },
        );
      }),
    );

  program
    .command("hook")
    .description("handle a Claude Code hook (reads the hook JSON on stdin): pre-edit, session-start, stop")
    .argument("<event>", "pre-edit | session-start | stop")
    .action(
      action(async (ctx, event: string) => {
        const handlers = { "pre-edit": preEdit, "session-start": sessionStart, stop } as const;
        const handler = handlers[event as keyof typeof handlers];
        if (!handler)
          throw new BatonError("usage", `unknown hook '${event}'`, "use pre-edit, session-start or stop");
        // A hook must never break the host: whatever goes wrong, answer nothing and let it proceed.
        try {
          let input: Record<string, unknown> = {};
          try {
            const parsed: unknown = JSON.parse(readFileSync(0, "utf8") || "{}");
            if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
              input = parsed as Record<string, unknown>;
          } catch {
            // not JSON: treat as no input
          }
          const output = await handler(await ctx.workspace(), input);
          if (output) process.stdout.write(`${JSON.stringify(output)}\n`);
        } catch (error) {
          process.stderr.write(`baton hook ${event}: ${(error as Error).message}\n`);
        }
      }),
    );

  program
    .command("prompt")
    .description(
      "print the instructions an agent needs to work in the team (and its role's, from .baton/roles/)",
    )
    .option("--role <role>", "add .baton/roles/ROLE.md")
    .action(
      action(async (ctx, o: { role?: string }) => {
        const root = findRepositoryRoot(process.cwd());
        let role = "";
        if (o.role) {
          if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(o.role))
            throw new BatonError(
              "invalid_input",
              `bad role '${o.role}'`,
              "roles are lowercase names, e.g. reviewer",
            );
          try {
            role = readFileSync(`${root}/.baton/roles/${o.role}.md`, "utf8");
          } catch {
            throw new BatonError(
              "not_found",
              `no role template .baton/roles/${o.role}.md`,
              "write one, or run baton init to get developer, reviewer and lead",
            );
          }
        }
        const agent = ctx.globals.as ?? (process.env.BATON_AGENT || undefined);
        const text = [protocolText(agent), role].filter(Boolean).join("\n");
        ctx.out.result({ prompt: text }, () => text.trimEnd());
      }),
    );
}
