import type { Command, Option } from "commander";

/** One command of the CLI and its path from the root: "" for baton itself, "task claim" for `baton task claim`. */
export interface CommandNode {
  path: string;
  command: Command;
}

/** Every command under `root`, the root first, parents before their subcommands. */
export function commandTree(root: Command): CommandNode[] {
  const nodes: CommandNode[] = [];
  const visit = (command: Command, path: string) => {
    nodes.push({ path, command });
    for (const sub of command.commands) visit(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  visit(root, "");
  return nodes;
}

/** Whether an option is followed by a value (`--ttl 30m`), as opposed to a switch (`--json`). */
export function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

/** The flags a user can type for an option: `--json`, `-V` and `--version`. */
export function flagsOf(option: Option): string[] {
  return [option.short, option.long].filter((flag): flag is string => Boolean(flag));
}
