import type { Command } from "commander";
import { parseKind } from "../../services/agent-service.js";
import { action, durationOption, withRange } from "../context.js";

/** What `serveStdio` in dist/mcp/serve.js takes; the module is loaded at run time, outside the CLI bundle. */
interface ServeModule {
  serveStdio(options: {
    as?: string;
    store?: string;
    kind?: string;
    role?: string;
    maxWaitMs: number;
    version: string;
  }): Promise<void>;
}

export function registerMcpCommand(program: Command, version: string): void {
  program
    .command("mcp")
    .description("serve baton's tools to an MCP host (Claude Code, Codex CLI, Gemini CLI) over stdio")
    .option("--kind <kind>", "the host: claude, codex, gemini, pi, custom")
    .option("--role <role>", "the agent's role in the team")
    .option(
      "--max-wait <duration>",
      withRange(
        "the longest a tool blocks before answering pending (hosts cut calls off: Codex after 60 s)",
        "toolWait",
      ),
      durationOption("--max-wait", "toolWait"),
      50_000,
    )
    .addHelpText(
      "after",
      `
The agent joins as --as NAME (or $BATON_AGENT, or the name baton connect --as recorded
in the worktree) when the host starts the server. Tools:
get_project_info, list_tasks, create_task, claim_task, complete_task, fail_task, release_task,
lock_files, unlock_files, check_files, send_message, get_messages, chat_with_human, get_answer,
request_approval, update_status, log_decision; for a team baton up started, spawn_agent,
stop_agent, delegate and leave_team.

Protocol: MCP over stdio, one JSON-RPC message per line, at most 4 MiB each (a longer
line is answered with an error and skipped). Every malformed request gets a JSON-RPC
error; batches are refused (MCP 2025-06-18 and later). The server ends when the host
closes stdin (exit 0), or says on stderr why a pipe broke (exit 1); logs go to stderr.

Example host entry (Claude Code .mcp.json):
  { "mcpServers": { "baton": { "command": "npx", "args": ["baton", "mcp", "--as", "claude-1", "--kind", "claude"] } } }`,
    )
    .action(
      action(async (ctx, o: { kind?: string; role?: string; maxWait: number }) => {
        // No name here means the workspace's: BATON_AGENT, else the worktree's (`baton connect --as`);
        // joining the team below still refuses to start without one.
        if (o.kind) parseKind(o.kind);
        // Kept out of the bundle: the MCP SDK is loaded only by this command.
        const serve = (await import(new URL("../mcp/serve.js", import.meta.url).href)) as ServeModule;
        await serve.serveStdio({
          as: ctx.globals.as,
          store: ctx.globals.store ?? (process.env.BATON_STORE || undefined),
          kind: o.kind,
          role: o.role,
          maxWaitMs: o.maxWait,
          version,
        });
      }),
    );
}
