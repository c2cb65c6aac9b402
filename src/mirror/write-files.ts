import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Writes each page atomically (a temp file beside it, then rename) and only when
 * its content changed, so readers never see half a file and git sees no churn.
 * Returns the pages written.
 */
export function writeFiles(dir: string, pages: Map<string, string>): string[] {
  const written: string[] = [];
  for (const [relative, content] of pages) {
    const path = join(dir, relative);
    if (existsSync(path) && readFileSync(path, "utf8") === content) continue;
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, content);
    renameSync(temp, path);
    written.push(relative);
  }
  return written;
}
