import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Where `command` is found on PATH (as a shell would look it up), or undefined. */
export function which(command: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
