import { existsSync, readFileSync } from "node:fs";
import { applyEdits, type ModificationOptions, modify, type ParseError, parse } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { BatonError } from "../errors.js";

/** Reading and rewriting hosts' config files without losing what is in them. */

export function readText(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

function malformed(path: string, what: string, where?: { line: number; column: number }): BatonError {
  const at = where ? ` (line ${where.line}, column ${where.column})` : "";
  return new BatonError(
    "invalid_input",
    `${path} does not parse as ${what}${at}; nothing was changed`,
    `fix or move the file aside, then run baton connect again`,
    where ? { path, ...where } : { path },
  );
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

export function parseJsonFile(path: string, text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) throw malformed(path, "JSON", lineAndColumn(text, errors[0]!.offset));
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw malformed(path, "a JSON object");
  return value as Record<string, unknown>;
}

export function parseTomlFile(path: string, text: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const e = error as { line?: number; column?: number };
    throw malformed(path, "TOML", e.line ? { line: e.line, column: e.column ?? 1 } : undefined);
  }
}

const FORMAT: ModificationOptions = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: "\n" } };

/** Sets `value` at `keyPath`, keeping every other key, the comments and the formatting. */
export function setJson(path: string, text: string, keyPath: string[], value: unknown): string {
  parseJsonFile(path, text);
  const base = text.trim() ? text : "{}\n";
  const next = applyEdits(base, modify(base, keyPath, value, FORMAT));
  return next.endsWith("\n") ? next : `${next}\n`;
}

export type TomlValue = string | boolean | string[];

// A TOML basic string escapes like JSON.
const tomlValue = (value: TomlValue): string =>
  Array.isArray(value)
    ? `[${value.map((v) => JSON.stringify(v)).join(", ")}]`
    : typeof value === "boolean"
      ? String(value)
      : JSON.stringify(value);

/** The lines [start, end) of `[table]`'s body, or undefined when the file has no such header. */
function tableSpan(lines: string[], table: string): { start: number; end: number } | undefined {
  const start = lines.findIndex((line) => line.trim() === `[${table}]`);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^\s*\[/.test(lines[end]!)) end++;
  // Keep blank lines and comments that lead into the next table.
  while (end > start + 1 && /^\s*(#.*)?$/.test(lines[end - 1]!)) end--;
  return { start, end };
}

/** Replaces (or appends) one `[table]` in a TOML file, leaving the rest of the text, comments included, as it was. */
export function setTomlTable(
  path: string,
  text: string,
  table: string,
  entries: Record<string, TomlValue>,
): string {
  parseTomlFile(path, text);
  const body = Object.entries(entries).map(([key, value]) => `${key} = ${tomlValue(value)}`);
  const section = [`[${table}]`, ...body].join("\n");
  const lines = text.split("\n");
  const span = tableSpan(lines, table);
  if (!span) return `${text.trimEnd()}${text.trim() ? "\n\n" : ""}${section}\n`;
  return [...lines.slice(0, span.start), section, ...lines.slice(span.end)].join("\n");
}

/**
 * Sets one key of a `[table]` (e.g. `[features] codex_hooks = true`), keeping the
 * table's other keys. A table written another way (inline, or dotted keys at the
 * top) is not rewritten: the user is asked to add the key by hand.
 */
export function setTomlKey(path: string, text: string, table: string, key: string, value: TomlValue): string {
  const parsed = parseTomlFile(path, text);
  const current = (parsed[table] as Record<string, unknown> | undefined)?.[key];
  if (JSON.stringify(current) === JSON.stringify(value)) return text;
  const lines = text.split("\n");
  const span = tableSpan(lines, table);
  const line = `${key} = ${tomlValue(value)}`;
  if (!span) {
    if (parsed[table] !== undefined)
      throw new BatonError(
        "invalid_input",
        `${path} defines ${table} in a form baton does not rewrite`,
        `add \`${line}\` under [${table}] by hand, then run baton connect again`,
        { path },
      );
    return `${text.trimEnd()}${text.trim() ? "\n\n" : ""}[${table}]\n${line}\n`;
  }
  const own = lines.findIndex(
    (l, i) => i > span.start && i < span.end && new RegExp(`^\\s*${key}\\s*=`).test(l),
  );
  if (own >= 0) lines[own] = line;
  else lines.splice(span.start + 1, 0, line);
  return lines.join("\n");
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
