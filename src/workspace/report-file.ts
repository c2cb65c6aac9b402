import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from "node:fs";
import { extname } from "node:path";
import { MAX_REPORT_BYTES, type TaskReport, validateReport } from "../domain/task-report.js";
import { BatonError, isBatonError } from "../errors.js";
import { resolveReal } from "./real-path.js";
import { isInside, type PathScope, placeInRepository } from "./workspace-path.js";

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
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    throw new BatonError(
      "not_found",
      `cannot read the report ${input} (${(error as NodeJS.ErrnoException).code})`,
      "pass a readable YAML or JSON file inside the repository",
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new BatonError("invalid_input", `the report ${input} is not a file`, "pass a YAML or JSON file");
    // Where the kernel says the open file is (Linux); elsewhere the path checked above stands.
    const opened = openedPath(fd);
    if (opened !== undefined && !isInside(treeRoot, opened))
      throw new BatonError(
        "outside_workspace",
        `the report ${input} changed to a file outside the repository while it was read`,
        "pass a report file inside the repository",
      );
    if (stat.size > MAX_REPORT_BYTES) {
      throw new BatonError(
        "invalid_input",
        `the report ${input} is over ${MAX_REPORT_BYTES / 1024} KiB`,
        "keep reports to the essentials",
      );
    }
    return readFileSync(fd, "utf8");
  } catch (error) {
    if (isBatonError(error)) throw error;
    throw new BatonError(
      "not_found",
      `cannot read the report ${input} (${(error as NodeJS.ErrnoException).code})`,
      "pass a readable YAML or JSON file",
    );
  } finally {
    closeSync(fd);
  }
}

function openedPath(fd: number): string | undefined {
  try {
    return realpathSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}
