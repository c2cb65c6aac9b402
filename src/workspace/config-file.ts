import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";
import { type BatonConfig, normaliseConfig } from "../domain/config.js";
import { BatonError } from "../errors.js";

export const BATON_DIR = ".baton";
export const CONFIG_FILE = "config.json";
export const DB_FILE = "baton.db";

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/** Reads `.baton/config.json` (JSON with comments); a missing file means the defaults. */
export function readConfig(root: string): BatonConfig {
  const path = join(root, BATON_DIR, CONFIG_FILE);
  if (!existsSync(path)) return normaliseConfig({});
  const text = readFileSync(path, "utf8");
  const errors: ParseError[] = [];
  const raw: unknown = parse(text, errors, { allowTrailingComma: true });
  const first = errors[0];
  if (first) {
    throw new BatonError(
      "invalid_input",
      `.baton/config.json does not parse: ${printParseErrorCode(first.error)} at ${lineAndColumn(text, first.offset)}`,
      "fix the file (comments and trailing commas are allowed), or move it aside and run `baton init`",
    );
  }
  return normaliseConfig(raw);
}
