import { isRawPatch, patchTargets } from "./apply-patch.js";
import { type ShellWrite, shellWrites } from "./shell-writes.js";

/**
 * The files a host's tool call is about to write, read from the hook input of
 * any host (Claude Code, Codex, Gemini CLI: their inputs share `tool_name`,
 * `tool_input` and `cwd`). Any shape is accepted: a field that is missing or
 * odd means "nothing to guard", never a crash.
 */

/** Tools that write the file named in their input (Claude Code, Gemini CLI, and the names other hosts use). */
const FILE_TOOLS =
  /^(Edit|MultiEdit|Write|NotebookEdit|write_file|replace|edit|edit_file|create_file|write|str_replace_based_edit_tool)$/;
/** Tools that run a shell command (Claude Code's Bash, Codex's shell and apply_patch, Gemini CLI's run_shell_command). */
const SHELL_TOOLS = /^(Bash|bash|shell|local_shell|exec_command|run_shell_command|container\.exec)$/;
const PATCH_TOOLS = /^(apply_patch|ApplyPatch)$/;

const PATH_FIELDS = ["file_path", "notebook_path", "absolute_path", "path", "filePath"] as const;

export interface EditTargets {
  tool: string;
  /** Paths relative to `cwd` (or absolute). */
  writes: ShellWrite[];
}

const str = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

/**
 * A command given as text, or as argv (`["bash", "-lc", "..."]`), as a command
 * line: each argument quoted, so `#`, spaces and quotes in one stay in it.
 */
function commandText(command: unknown): string | undefined {
  if (typeof command === "string") return command;
  if (!Array.isArray(command) || !command.every((part) => typeof part === "string")) return undefined;
  return (command as string[]).map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(" ");
}

function fromText(text: string): ShellWrite[] {
  if (isRawPatch(text)) return patchTargets(text).map((path) => ({ path, cwd: "" }));
  return shellWrites(text);
}

export function editTargets(input: Record<string, unknown>): EditTargets {
  const tool = str(input.tool_name) ?? str(input.toolName) ?? "";
  const raw = input.tool_input ?? input.toolInput;
  if (typeof raw !== "object" || raw === null) {
    // Codex's apply_patch may arrive as raw text rather than an object.
    return { tool, writes: typeof raw === "string" && isRawPatch(raw) ? fromText(raw) : [] };
  }
  const toolInput = raw as Record<string, unknown>;
  if (FILE_TOOLS.test(tool)) {
    const writes: ShellWrite[] = [];
    for (const field of PATH_FIELDS) {
      const path = str(toolInput[field]);
      if (path) writes.push({ path, cwd: "", literal: true });
    }
    // MultiEdit-style batches: {edits: [{file_path}]} where a host sends them.
    if (Array.isArray(toolInput.edits)) {
      for (const edit of toolInput.edits) {
        const path = str((edit as Record<string, unknown> | null)?.file_path);
        if (path) writes.push({ path, cwd: "", literal: true });
      }
    }
    return { tool, writes };
  }
  if (SHELL_TOOLS.test(tool) || PATCH_TOOLS.test(tool)) {
    const workdir = str(toolInput.workdir) ?? str(toolInput.dir_path) ?? str(toolInput.directory) ?? "";
    const texts = [
      commandText(toolInput.command),
      commandText(toolInput.cmd),
      str(toolInput.input),
      str(toolInput.patch),
    ];
    const writes = texts
      .filter((text): text is string => text !== undefined)
      .flatMap(fromText)
      .map((write) => ({ ...write, cwd: joinDir(workdir, write.cwd) }));
    return { tool, writes };
  }
  return { tool, writes: [] };
}

function joinDir(base: string, dir: string): string {
  if (!base || dir.startsWith("/")) return dir;
  return dir ? `${base}/${dir}` : base;
}
