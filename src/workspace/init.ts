import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CONFIG_TEXT } from "../domain/config.js";
import { ROLE_TEMPLATES } from "../hosts/instructions.js";
import { BATON_DIR, CONFIG_FILE, DB_FILE, readConfig } from "./config-file.js";

const GITIGNORE = `# The database and the running hub's record are local state; config.json and roles/ are meant to be committed.
${DB_FILE}
${DB_FILE}-*
hub.json
hub.lock
# The hub's Web Push private key (made when a device first turns notifications on).
vapid.json
# The agents' worktrees (baton cleanup removes them), a merge train's scratch worktrees, the
# team baton up started.
worktrees/
merging/
team.json
team.lock
`;

/** The commented defaults, naming the team's humans. */
function configText(humans: readonly string[]): string {
  return DEFAULT_CONFIG_TEXT.replace('"humans": []', `"humans": ${JSON.stringify(humans)}`);
}

export interface InitResult {
  root: string;
  created: string[];
  kept: string[];
}

/**
 * Writes `.baton/config.json` with commented defaults, a `.gitignore` for the
 * database, and role templates in `.baton/roles/` for the team to edit. Idempotent: existing files are kept unless `force`.
 * `humans` names the team's people in a config written fresh (`baton init --human` adds them to a kept one).
 */
export function initWorkspaceFiles(
  root: string,
  options: { force?: boolean; dryRun?: boolean; humans?: readonly string[] } = {},
): InitResult {
  const dir = join(root, BATON_DIR);
  const files: [string, string][] = [
    [join(dir, CONFIG_FILE), configText(options.humans ?? [])],
    [join(dir, ".gitignore"), GITIGNORE],
    ...Object.entries(ROLE_TEMPLATES).map(([role, text]): [string, string] => [
      join(dir, "roles", `${role}.md`),
      text,
    ]),
  ];
  const result: InitResult = { root, created: [], kept: [] };
  if (!options.dryRun) mkdirSync(join(dir, "roles"), { recursive: true });
  for (const [path, text] of files) {
    if (existsSync(path) && !options.force) {
      result.kept.push(path);
      continue;
    }
    if (!options.dryRun) writeFileSync(path, text);
    result.created.push(path);
  }
  if (!options.dryRun) readConfig(root); // a kept config must still parse
  return result;
}
