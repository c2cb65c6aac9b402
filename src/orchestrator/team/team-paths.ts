import { join } from "node:path";
import { BATON_DIR } from "../../workspace/config-file.js";

/** Where a headless team's processes write their output: `.baton/logs/NAME.log` (ignored by git). */
export const LOGS_DIR = "logs";

export function teamLogPath(root: string, name: string): string {
  return join(root, BATON_DIR, LOGS_DIR, `${name}.log`);
}
