import { Command, type Option } from "commander";
import { formatDuration } from "../util/duration.js";
import { commandTree } from "./command-tree.js";
import { registerAccessCommands } from "./commands/access.js";
import { registerAgentCommands } from "./commands/agent.js";
import { registerCleanupCommand } from "./commands/cleanup.js";
import { registerCompletionCommand } from "./commands/completion.js";
import { registerConflictsCommand } from "./commands/conflicts.js";
import { registerConnectCommands } from "./commands/connect.js";
import { registerCostCommands } from "./commands/cost.js";
import { registerEscalationCommands } from "./commands/escalations.js";
import { registerGuardianCommand } from "./commands/guardian.js";
import { registerHookCommand } from "./commands/hook.js";
import { registerHumanCommands } from "./commands/human.js";
import { registerInitCommand } from "./commands/init.js";
import { registerLockCommands } from "./commands/lock.js";
import { registerLogCommands } from "./commands/log.js";
import { registerMcpCommand } from "./commands/mcp.js";
import { registerMergeCommand } from "./commands/merge.js";
import { registerMessageCommands } from "./commands/messages.js";
import { registerMirrorCommand } from "./commands/mirror.js";
import { registerQueueCommands } from "./commands/queue.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerStatusCommand } from "./commands/status.js";
import { registerSummaryCommands } from "./commands/summary.js";
import { registerTaskCommands } from "./commands/task.js";
import { registerTeamCommands } from "./commands/team.js";
import { registerTeamChangeCommands } from "./commands/team-change.js";
import { registerWorkCommand } from "./commands/work.js";
import { exitCodesHelp } from "./exit-codes.js";
import { examplesText } from "./help-examples.js";

/**
 * Every command of baton is one of these. A group called bare (`baton task`) shows its help as
 * `baton task --help` does, on stdout with exit 0: commander's default prints it as an error,
 * and main.ts would then add an error line to a help page nobody got wrong.
 */
class BatonCommand extends Command {
  override createCommand(name?: string): BatonCommand {
    return new BatonCommand(name);
  }

  override help(): never {
    return super.help({ error: false });
  }
}

export function buildProgram(version: string): Command {
  const program = new BatonCommand("baton")
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
    // Set before any subcommand exists: each one copies its parent's help settings when made.
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  registerInitCommand(program);
  registerStatusCommand(program);
  registerTaskCommands(program);
  registerLockCommands(program);
  registerAgentCommands(program);
  registerMessageCommands(program);
  registerHumanCommands(program);
  registerQueueCommands(program);
  registerEscalationCommands(program);
  registerCostCommands(program);
  registerAccessCommands(program);
  registerSummaryCommands(program);
  registerMirrorCommand(program);
  registerMcpCommand(program, version);
  registerServeCommand(program, version);
  registerConnectCommands(program);
  registerCleanupCommand(program);
  registerMergeCommand(program);
  registerConflictsCommand(program);
  registerHookCommand(program);
  registerLogCommands(program);
  registerGuardianCommand(program);
  registerTeamCommands(program);
  registerTeamChangeCommands(program);
  registerWorkCommand(program);
  registerCompletionCommand(program);
  finishHelp(program);
  program.addHelpText(
    "after",
    `
${exitCodesHelp()}

Durations are written 250ms, 30s, 15m, 1h30m or 2d (a bare number is seconds); each flag
that takes one says its range.`,
  );
  return program;
}

/**
 * What every help page gets, in one place rather than in each command: its examples (from
 * help-examples.ts) and, for a duration flag with a default, the default as a duration (`50s`,
 * not `50000`).
 */
function finishHelp(program: Command): void {
  for (const { path, command } of commandTree(program)) {
    const examples = examplesText(path);
    if (examples) command.addHelpText("after", examples);
    for (const option of command.options) showDurationDefault(option);
  }
}

function showDurationDefault(option: Option): void {
  if (option.flags.includes("<duration>") && typeof option.defaultValue === "number")
    option.defaultValueDescription ??= formatDuration(option.defaultValue);
}
