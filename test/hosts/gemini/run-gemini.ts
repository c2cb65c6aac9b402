import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type HostRun, type HostRunOptions, hostBin, hostEnv, runHostProcess } from "../kit.js";

/**
 * Runs the real Gemini CLI headless against a fake model, in an isolated HOME.
 * Only the user's own Gemini setup is done here (an API key login, no update
 * checks or telemetry, trusted folders); baton's part comes from `baton connect`.
 */

/** ~/.gemini/settings.json as a user who logged in with an API key has it. Run before `baton connect`, which merges into it. */
export function setupHome(home: string): void {
  mkdirSync(join(home, ".gemini"), { recursive: true });
  const settings = {
    security: { auth: { selectedType: "gemini-api-key" } },
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    ide: { enabled: false },
  };
  writeFileSync(join(home, ".gemini", "settings.json"), `${JSON.stringify(settings, null, 2)}\n`);
}

/**
 * Trusts a folder as the user does by hand (what `baton connect` lists as a to-do):
 * Gemini ignores an untrusted folder's .gemini/settings.json, and headless runs there exit 55.
 */
export function trustFolder(home: string, folder: string): void {
  const file = join(home, ".gemini", "trustedFolders.json");
  const rules = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  rules[folder] = "TRUST_FOLDER";
  writeFileSync(file, `${JSON.stringify(rules, null, 2)}\n`);
}

export type GeminiRun = HostRun;

/**
 * Gemini's `args` come after `-p PROMPT`; auto_edit by default: Gemini's default
 * mode offers the model no write_file or replace at all in a headless run.
 */
export type GeminiOptions = HostRunOptions;

export function runGemini(options: GeminiOptions): Promise<GeminiRun> {
  const args = options.args ?? ["--output-format", "stream-json", "--approval-mode", "auto_edit"];
  const env = hostEnv(options.home, {
    GEMINI_API_KEY: "dummy",
    GOOGLE_GEMINI_BASE_URL: options.baseUrl,
    // Gemini otherwise re-spawns itself with a bigger heap: a second process for nothing.
    GEMINI_CLI_NO_RELAUNCH: "true",
    ...options.env,
  });
  return runHostProcess(process.execPath, [hostBin("gemini"), "-p", options.prompt, ...args], {
    cwd: options.cwd,
    env,
    timeoutMs: options.timeoutMs ?? 90_000,
  });
}
