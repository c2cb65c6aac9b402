import { readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import { MAX_REPORT_BYTES, type TaskReport, validateReport } from "../domain/task-report.js";
import { BatonError, isBatonError } from "../errors.js";

/** Reads and validates a report file: JSON by its extension or first character, YAML otherwise. */
export async function readReportFile(path: string): Promise<TaskReport> {
  let text: string;
  try {
    if (statSync(path).size > MAX_REPORT_BYTES) {
      throw new BatonError(
        "invalid_input",
        `the report ${path} is over ${MAX_REPORT_BYTES / 1024} KiB`,
        "keep reports to the essentials",
      );
    }
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (isBatonError(error)) throw error;
    throw new BatonError(
      "not_found",
      `cannot read the report ${path} (${(error as NodeJS.ErrnoException).code})`,
      "pass a readable YAML or JSON file",
    );
  }
  const json = extname(path).toLowerCase() === ".json" || text.trimStart().startsWith("{");
  let raw: unknown;
  try {
    // YAML's parser is loaded only when a YAML report is given: it is not on any other command's path.
    raw = json ? JSON.parse(text) : (await import("yaml")).parse(text);
  } catch (error) {
    throw new BatonError(
      "invalid_input",
      `the report ${path} is not valid ${json ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]}`,
      {
        cli: "fix the file; see `baton task done --help` for the shape of a report",
        tool: "fix the file; its fields are those of complete_task's report argument",
      },
    );
  }
  return validateReport(raw);
}
