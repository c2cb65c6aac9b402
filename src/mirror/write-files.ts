import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { neutralise } from "../util/control-chars.js";
import { writeTextAtomic } from "../util/write-atomic.js";

/**
 * Writes each page atomically (a temp file beside it, then rename) and only when
 * its content changed, so readers never see half a file and git sees no churn.
 * Returns the pages written.
 */
export function writeFiles(dir: string, pages: Map<string, string>): string[] {
  const written: string[] = [];
  for (const [relative, page] of pages) {
    const path = join(dir, relative);
    // The last gate: whatever an agent wrote is shown, never obeyed, by whoever cats the page.
    const content = neutralise(page);
    if (existsSync(path) && readFileSync(path, "utf8") === content) continue;
    writeTextAtomic(path, content);
    written.push(relative);
  }
  return written;
}
