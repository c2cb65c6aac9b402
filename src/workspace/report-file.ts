import { extname } from "node:path";
import { MAX_REPORT_BYTES, type TaskReport, validateReport } from "../domain/task-report.js";
import { BatonError } from "../errors.js";
import { resolveReal } from "./real-path.js";
import { readRegularFile } from "./regular-file.js";
import { type PathScope, placeInRepository } from "./workspace-path.js";

/**
 * Reads and validates a report file: JSON by its extension or first character,
 * YAML otherwise. The file must be the repository's (promise 7): its path is
 * resolved as every lease path is, symlinks followed, and one that leads
 * outside (`report.yaml -> ~/.ssh/id_rsa`) is refused before it is opened. The
 * file opened is checked again, so a link swapped in meanwhile is not read.
 */
export async function readReportFile(input: string, scope: PathScope): Promise<TaskReport> {
  const real = resolveReal(scope.cwd, input);
  const { treeRoot } = placeInRepository(real, input, scope);
  const text = readInside(real, input, treeRoot);
  const json = extname(input).toLowerCase() === ".json" || text.trimStart().startsWith("{");
  let raw: unknown;
  try {
    // YAML's parser is loaded only when a YAML report is given: it is not on any other command's path.
    raw = json ? JSON.parse(text) : (await import("yaml")).parse(text);
  } catch (error) {
    throw new BatonError(
      "invalid_input",
      `the report ${input} is not valid ${json ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]}`,
      {
        cli: "fix the file; see `baton task done --help` for the shape of a report",
        tool: "fix the file; its fields are those of complete_task's report argument",
      },
    );
  }
  return validateReport(raw);
}

/** The text of `real`, opened without following a last link, from a file still inside `treeRoot`. */
function readInside(real: string, input: string, treeRoot: string): string {
  return readRegularFile(real, {
    what: `the report ${input}`,
    maxBytes: MAX_REPORT_BYTES,
    hint: "pass a readable YAML or JSON file inside the repository",
    noFollow: true,
    inside: treeRoot,
  });
}

/**
 * A file of the repository that a person will read (a plan): its path resolved
 * as every lease path is, and refused when it leads outside the repository
 * (a plan of /proc/self/environ would put secrets before the human).
 */
export function readRepositoryText(
  input: string,
  scope: PathScope,
  what: string,
  maxBytes: number,
  hint: string,
): string {
  const real = resolveReal(scope.cwd, input);
  const { treeRoot } = placeInRepository(real, input, scope);
  return readRegularFile(real, {
    what: `${what} ${input}`,
    maxBytes,
    hint,
    noFollow: true,
    inside: treeRoot,
  });
}
