import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { applyEdits, type ModificationOptions, modify, type ParseError, parse } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { BatonError } from "../errors.js";

/** Reading and rewriting hosts' config files without losing what is in them. */

export function readText(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

export function writeTextAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

function malformed(path: string, what: string): BatonError {
  return new BatonError(
    "invalid_input",
    `${path} does not parse as ${what}; nothing was changed`,
    `fix or move the file aside, then run baton connect again`,
  );
}

export function parseJsonFile(path: string, text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof value !== "object" || value === null || Array.isArray(value))
    throw malformed(path, "JSON");
  return value as Record<string, unknown>;
}

const FORMAT: ModificationOptions = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: "\n" } };

/** Sets `value` at `keyPath`, keeping every other key, the comments and the formatting. */
export function setJson(path: string, text: string, keyPath: string[], value: unknown): string {
  parseJsonFile(path, text);
  const base = text.trim() ? text : "{}\n";
  const next = applyEdits(base, modify(base, keyPath, value, FORMAT));
  return next.endsWith("\n") ? next : `${next}\n`;
}

const tomlString = (s: string) => JSON.stringify(s); // a TOML basic string escapes like JSON

/** Replaces (or appends) one `[table]` in a TOML file, leaving the rest of the text, comments included, as it was. */
export function setTomlTable(
  path: string,
  text: string,
  table: string,
  entries: Record<string, string | string[]>,
): string {
  try {
    parseToml(text);
  } catch {
    throw malformed(path, "TOML");
  }
  const body = Object.entries(entries).map(
    ([key, value]) =>
      `${key} = ${Array.isArray(value) ? `[${value.map(tomlString).join(", ")}]` : tomlString(value)}`,
  );
  const section = [`[${table}]`, ...body].join("\n");
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.trim() === `[${table}]`);
  if (start < 0) return `${text.trimEnd()}${text.trim() ? "\n\n" : ""}${section}\n`;
  let end = start + 1;
  while (end < lines.length && !/^\s*\[/.test(lines[end]!)) end++;
  // Keep blank lines and comments that lead into the next table.
  while (end > start + 1 && /^\s*(#.*)?$/.test(lines[end - 1]!)) end--;
  return [...lines.slice(0, start), section, ...lines.slice(end)].join("\n");
}

const START = "<!-- baton:start -->";
const END = "<!-- baton:end -->";

/** Replaces baton's marked section in a markdown file, or appends it. */
export function setMarkdownSection(text: string, section: string): string {
  const block = `${START}\n${section.trim()}\n${END}`;
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from >= 0 && to > from) return `${text.slice(0, from)}${block}${text.slice(to + END.length)}`;
  return `${text.trimEnd()}${text.trim() ? "\n\n" : ""}${block}\n`;
}
