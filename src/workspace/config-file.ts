import { existsSync } from "node:fs";
import { join } from "node:path";
import { type BatonConfig, normaliseConfig } from "../domain/config.js";
import { parseJsonc } from "./jsonc.js";
import { readRegularFile } from "./regular-file.js";

export const BATON_DIR = ".baton";
export const CONFIG_FILE = "config.json";
export const DB_FILE = "baton.db";

/**
 * Reads `.baton/config.json` (JSON with comments); a missing file means the
 * defaults. A byte-order mark, which some Windows editors write, is skipped.
 */
/** A config is a few KiB; a MiB is room for hundreds of queues and hooks. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export function readConfig(root: string): BatonConfig {
  const path = join(root, BATON_DIR, CONFIG_FILE);
  if (!existsSync(path)) return normaliseConfig({});
  // A committed file anyone can change: a link to /dev/zero or a FIFO must not hang every agent.
  const text = readRegularFile(path, {
    what: ".baton/config.json",
    maxBytes: MAX_CONFIG_BYTES,
    hint: "make .baton/config.json a plain JSON file (baton init --force writes the defaults)",
  });
  const raw = parseJsonc(text.replace(/^\uFEFF/, ""), ".baton/config.json");
  return normaliseConfig(raw);
}
