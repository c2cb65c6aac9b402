import { Command } from "commander";
import { registerAgentCommands } from "./commands/agent.js";
import { registerConnectCommands } from "./commands/connect.js";
import { registerEscalationCommands } from "./commands/escalations.js";
import { registerGuardianCommand } from "./commands/guardian.js";
import { registerHookCommand } from "./commands/hook.js";
import { registerHumanCommands } from "./commands/human.js";
import { registerInitCommand } from "./commands/init.js";
import { registerLockCommands } from "./commands/lock.js";
import { registerLogCommands } from "./commands/log.js";
import { registerMcpCommand } from "./commands/mcp.js";
import { registerMessageCommands } from "./commands/messages.js";
import { registerMirrorCommand } from "./commands/mirror.js";
import { registerQueueCommands } from "./commands/queue.js";
import { registerStatusCommand } from "./commands/status.js";
import { registerSummaryCommands } from "./commands/summary.js";
import { registerTaskCommands } from "./commands/task.js";
import { exitCodesHelp } from "./exit-codes.js";

export function buildProgram(version: string): Command {
  const program = new Command("baton")
    .description("coordination hub for a team of AI coding agents working on one repository")
    .version(version, "-V, --version")
    .option("--as <name>", "act as this agent (default: $BATON_AGENT)")
    .option(
      "--new-agent",
      "the name you act as is new: register it even though it looks like a slip for a known agent's",
    )
    .option("--json", "print exactly one JSON document on stdout, errors included")
    .option("--dry-run", "show what would change, change nothing")
    .option(
      "--store <url>",
      "store to use: a SQLite file path or sqlite:PATH (default: $BATON_STORE or .baton/baton.db)",
    )
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .addHelpText(
      "after",
      `
Getting started:
  baton init                                 set up .baton/ in this repository
  baton                                      what waits for you and what the team does (baton status)
  export BATON_AGENT=alice                   who you are (or --as alice)
  baton task add "Fix login redirect"        add work
  baton task claim                           take the next ready task
  baton lock src/auth/login.ts               lease the files you will edit
  baton heartbeat                            keep your claims and leases alive
  baton task done T-1 --result "fixed"       finish
  baton send bob "T-1 is ready for review"   message a teammate; bob reads it with baton inbox
  baton ask "Which DB?" --wait 30m           ask the human and wait for the answer
  baton agents / baton locks / baton log     see the team

${exitCodesHelp()}

Durations are written 250ms, 30s, 15m, 1h30m or 2d (a bare number is seconds); each flag
that takes one says its range.`,
    );
  registerInitCommand(program);
  registerStatusCommand(program);
  registerTaskCommands(program);
  registerLockCommands(program);
  registerAgentCommands(program);
  registerMessageCommands(program);
  registerHumanCommands(program);
  registerQueueCommands(program);
  registerEscalationCommands(program);
  registerSummaryCommands(program);
  registerMirrorCommand(program);
  registerMcpCommand(program, version);
  registerConnectCommands(program);
  registerHookCommand(program);
  registerLogCommands(program);
  registerGuardianCommand(program);
  return program;
}
