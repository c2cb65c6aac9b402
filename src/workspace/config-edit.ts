import { closeSync, existsSync, openSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type BatonConfig, DEFAULT_CONFIG_TEXT, normaliseConfig } from "../domain/config.js";
import { BatonError } from "../errors.js";
import { writeTextAtomic } from "../util/write-atomic.js";
import { BATON_DIR, CONFIG_FILE } from "./config-file.js";
import { parseJsonc } from "./jsonc.js";
import { removeKey, setKey } from "./jsonc-edit.js";

/**
 * Changing `.baton/config.json` from a command (`baton queue add`) without losing what people
 * wrote in it: each change is spliced into the text at its key path (jsonc-edit.ts), so
 * comments, key order and layout elsewhere stay as they were. Loaded only by the commands that
 * write the config: the parser costs CLI start-up time every other command would pay for nothing.
 */

/** One change: the value at a key path; `undefined` removes the key. */
export interface ConfigEdit {
  path: string[];
  value: unknown;
}

export interface EditedConfig {
  config: BatonConfig;
  changed: boolean;
}

/** A lock older than this was left by a killed process: an edit holds it for milliseconds. */
const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/**
 * Applies the edits `plan` returns for the config as it is now, validates the result as baton
 * reads it (nothing is written if it would not load), and writes it atomically. Two commands
 * editing at once would each read, change and write, and the second would drop the first's
 * change: a lock file beside the config makes them take turns.
 */
export async function editConfigFile(
  root: string,
  plan: (current: { raw: Record<string, unknown>; config: BatonConfig }) => ConfigEdit[],
  options: { dryRun?: boolean; check?: (config: BatonConfig) => void } = {},
): Promise<EditedConfig> {
  const path = join(root, BATON_DIR, CONFIG_FILE);
  const unlock = options.dryRun ? () => {} : await lockConfig(`${path}.lock`);
  try {
    const exists = existsSync(path);
    const text = exists ? readFileSync(path, "utf8") : DEFAULT_CONFIG_TEXT;
    const raw = parseJsonc(text, ".baton/config.json") as Record<string, unknown>;
    let next = text;
    for (const edit of plan({ raw, config: normaliseConfig(raw) }))
      next = edit.value === undefined ? removeKey(next, edit.path) : setKey(next, edit.path, edit.value);
    const config = normaliseConfig(parseJsonc(next, ".baton/config.json"));
    options.check?.(config);
    const changed = next !== text || !exists;
    if (changed && !options.dryRun) writeTextAtomic(path, next.endsWith("\n") ? next : `${next}\n`);
    return { config, changed };
  } finally {
    unlock();
  }
}

async function lockConfig(lock: string): Promise<() => void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, "wx"));
      return () => unlinkSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (isStale(lock)) {
      try {
        unlinkSync(lock);
      } catch {
        // Another process broke it first.
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new BatonError(
        "store_busy",
        `${CONFIG_FILE} stayed locked by another command for ${LOCK_WAIT_MS / 1000}s`,
        `try again; if no baton command is running, remove ${lock}`,
      );
    }
    await sleep(10 + Math.random() * 20);
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false; // gone already: the next attempt takes it
  }
}
