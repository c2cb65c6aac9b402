import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import type { Command } from "commander";
import { isNearMiss, nearMissIdentityError } from "../../domain/agent-names.js";
import { BatonError } from "../../errors.js";
import { HOSTS, type Host } from "../../hosts/host-names.js";
import { protocolText } from "../../hosts/instructions.js";
import { lineDiff } from "../../hosts/line-diff.js";
import { requireIdentity } from "../../services/identity.js";
import { resolveIdentity } from "../../services/workspace.js";
import { which } from "../../util/which.js";
import { BATON_DIR } from "../../workspace/config-file.js";
import { findRepositoryRoot, findTree, hubRootOf, type Tree } from "../../workspace/find-root.js";
import { hubNotSetUp } from "../../workspace/store-url.js";
import { readWorktreeAgent, recordedAgents, worktreeAgentFile } from "../../workspace/worktree-agent.js";
import { action } from "../context.js";

type ConnectModule = typeof import("../../hosts/connect.js");
type Note = { level: "todo" | "warning"; text: string };

/** connect writes files that start baton's MCP server: the hub must exist, or every host fails at start. */
function requireHub(tree: Tree, hubRoot: string): void {
  if (!existsSync(join(hubRoot, BATON_DIR))) throw hubNotSetUp(hubRoot, tree.root !== hubRoot);
}

function identityNotes(tree: Tree, hubRoot: string, agent: string, previous: string | undefined): Note[] {
  const notes: Note[] = [];
  const twins = recordedAgents(tree.commonDir).filter((r) => r.name === agent && r.gitDir !== tree.gitDir);
  if (twins.length > 0)
    notes.push({
      level: "warning",
      text: `${agent} is also the agent of another worktree (${twins.map((t) => t.gitDir).join(", ")}): two agents with one name share their claims and leases, and the edit guard cannot tell them apart; give each its own name`,
    });
  if (previous && previous !== agent)
    notes.push({
      level: "warning",
      text: `this worktree's agent was ${previous}, now ${agent}; two agents in one worktree need BATON_AGENT set each`,
    });
  if (tree.root === hubRoot)
    notes.push({
      level: "warning",
      text: `this is the main checkout: baton commands run here without --as or BATON_AGENT act as ${agent} (its name is in ${worktreeAgentFile(tree.gitDir)}); give each agent a worktree of its own`,
    });
  return notes;
}

function pathNotes(): Note[] {
  if (which("baton")) return [];
  return [
    {
      level: "warning",
      text: "`baton` is not on PATH, and the hosts start it from there: install it once on this machine (npm install -g <baton package or folder>, or npm link in a clone of baton)",
    },
  ];
}

export function registerConnectCommands(program: Command): void {
  program
    .command("connect")
    .description(
      "connect an agent host in this worktree: MCP server and edit guard (claude, codex, gemini), instructions (pi, aider, shell)",
    )
    .argument("<host>", HOSTS.join(" | "))
    .option("--scope <scope>", "project (files in this worktree) or user (your home folder)", "project")
    .addHelpText(
      "after",
      `
Run it in the worktree the agent works in, once per agent. It merges into
what is there (other servers, unknown keys and comments are kept; running it
twice changes nothing):
  claude  .mcp.json; .claude/settings.json: hooks (the edit guard before Edit,
          Write, NotebookEdit and Bash; session start; stop), mcp__baton
          allowed; the same hooks in ~/.claude/settings.json, so the guard
          holds wherever Claude Code starts
  codex   .codex/config.toml [mcp_servers.baton] (tools approved, required);
          hooks.json in the main checkout's .codex/ (where Codex reads them),
          trusted by hash in ~/.codex/config.toml
  gemini  .gemini/settings.json: mcpServers.baton (trusted), the edit guard
          before write_file, replace, run_shell_command; the same hooks in
          ~/.gemini/settings.json
  pi      AGENTS.md section; .pi/extensions/baton-guard.ts (the edit guard)
  shell   AGENTS.md section           aider   CONVENTIONS.md section
These files name no agent and no machine path: commit them. The agent's name
goes into this worktree's git dir (never committed), and .baton/bin/baton is a
launcher for this machine (ignored by git). An agent started with
BATON_AGENT=NAME acts as NAME whatever this worktree says. Hosts run \`baton\`
from PATH: install it once per machine (npm install -g, or npm link in a
clone). --scope user writes the home folder's files instead. --dry-run prints
the diff and writes nothing.`,
    )
    .action(
      action(async (ctx, host: string, o: { scope: string }) => {
        if (!HOSTS.includes(host as Host))
          throw new BatonError("usage", `unknown host '${host}'`, `use one of: ${HOSTS.join(", ")}`);
        if (o.scope !== "project" && o.scope !== "user")
          throw new BatonError("usage", `bad --scope '${o.scope}'`, "use project or user");
        const tree = findTree(process.cwd());
        const hubRoot = hubRootOf(tree);
        requireHub(tree, hubRoot);
        const previous = readWorktreeAgent(tree.gitDir);
        const agent = requireIdentity(resolveIdentity(ctx.globals.as, tree).identity);
        // A slip in the name recorded here would be refused later, at the host's every call: refuse it now.
        if (!ctx.globals.newAgent) {
          const known = (await (await ctx.workspace()).agents.list()).map((a) => a.name);
          const near = known.includes(agent) ? [] : known.filter((name) => isNearMiss(agent, name));
          if (near.length) throw nearMissIdentityError(agent, near);
        }
        // Loaded at run time, outside the CLI bundle: its file-format parsers are for this command only.
        const { planConnect, writeTextAtomic } = (await import(
          new URL("../hosts/connect.js", import.meta.url).href
        )) as ConnectModule;
        const plan = planConnect(host as Host, { tree, hubRoot, agent, scope: o.scope });
        const changed = plan.files.filter((c) => c.before !== c.after);
        if (!ctx.globals.dryRun) for (const c of changed) writeTextAtomic(c.path, c.after, c.mode);
        const notes = [...plan.notes, ...identityNotes(tree, hubRoot, agent, previous), ...pathNotes()];
        const show = (path: string) => {
          const rel = relative(process.cwd(), path);
          return rel && !rel.startsWith("..") ? rel : path.replace(homedir(), "~");
        };
        ctx.out.result(
          {
            host,
            agent,
            tree: tree.root,
            hub: hubRoot,
            files: plan.files.map((c) => ({ path: c.path, changed: c.before !== c.after })),
            notes,
          },
          () => {
            const s = ctx.out.style;
            const lines = ctx.globals.dryRun
              ? changed.flatMap((c) => [`--- ${show(c.path)}`, lineDiff(c.before, c.after)])
              : plan.files.map((c) =>
                  c.before !== c.after ? `wrote ${show(c.path)}` : s.dim(`unchanged ${show(c.path)}`),
                );
            lines.push(`${host} in ${show(tree.root) || "."} acts as ${s.bold(agent)}`);
            for (const note of notes)
              lines.push(
                note.level === "warning" ? s.yellow(`warning: ${note.text}`) : `to do: ${note.text}`,
              );
            return lines;
          },
        );
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
