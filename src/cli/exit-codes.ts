import { ERRORS, type ErrorCode, EXIT, EXIT_MEANINGS, type ExitCode } from "../errors.js";

/** Exit codes scripts can branch on; the table lives beside the error codes (src/errors.ts). */
export { EXIT };

export function exitCodeFor(code: ErrorCode): ExitCode {
  return ERRORS[code].exit;
}

/** The exit codes as `baton --help` lists them, from the one table. */
export function exitCodesHelp(): string {
  const lines = Object.entries(EXIT_MEANINGS).map(([exit, meaning]) => `  ${exit}  ${meaning}`);
  return ["Exit codes:", ...lines].join("\n");
}
