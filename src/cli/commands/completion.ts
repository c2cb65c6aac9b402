import { Argument, type Command } from "commander";
import { completionScript, SHELLS, type Shell } from "../completion.js";
import { action } from "../context.js";

export function registerCompletionCommand(program: Command): void {
  program
    .command("completion")
    .description("print a shell completion script for baton's commands and flags")
    .addArgument(new Argument("<shell>", SHELLS.join(" | ")).choices(SHELLS))
    .action(
      action(async (ctx, shell: Shell) => {
        const script = completionScript(program, shell);
        ctx.out.result({ shell, script }, () => script.trimEnd());
      }),
    );
}
