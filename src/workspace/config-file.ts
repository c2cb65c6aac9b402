import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type BatonConfig, normaliseConfig } from "../domain/config.js";
import { parseJsonc } from "./jsonc.js";

export const BATON_DIR = ".baton";
export const CONFIG_FILE = "config.json";
export const DB_FILE = "baton.db";

/**
 * Reads `.baton/config.json` (JSON with comments); a missing file means the
 * defaults. A byte-order mark, which some Windows editors write, is skipped.
 */
export function readConfig(root: string): BatonConfig {
  const path = join(root, BATON_DIR, CONFIG_FILE);
  if (!existsSync(path)) return normaliseConfig({});
  const raw = parseJsonc(readFileSync(path, "utf8").replace(/^\uFEFF/, ""), ".baton/config.json");
  return normaliseConfig(raw);
}
