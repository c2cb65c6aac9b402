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

const BOM = "\uFEFF";

export function parseJsonFile(path: string, text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  const errors: ParseError[] = [];
  const value: unknown = parse(text.replace(/^\uFEFF/, ""), errors, { allowTrailingComma: true });
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

const kindOf = (value: unknown) =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "an array"
      : typeof value === "object"
        ? "an object"
        : typeof value;

/**
 * Sets `value` at `keyPath`, keeping every other key, the comments and the
 * formatting (and a byte-order mark). A key on the way that holds something
 * other than an object, or a container of another kind where baton puts one,
 * is the user's to fix: refused, nothing written, rather than overwritten.
 */
export function setJson(path: string, text: string, keyPath: string[], value: unknown): string {
  let current: unknown = parseJsonFile(path, text);
  keyPath.forEach((key, i) => {
    const here = (current as Record<string, unknown>)[key];
    const last = i === keyPath.length - 1;
    const wanted = last ? kindOf(value) : "an object";
    const container = wanted === "an object" || wanted === "an array";
    if (here !== undefined && container && kindOf(here) !== wanted) {
      throw new BatonError(
        "invalid_input",
        `${path}: "${keyPath.slice(0, i + 1).join(".")}" is ${kindOf(here)}, where baton needs ${wanted}; nothing was changed`,
        "fix that key by hand (or remove it), then run baton connect again",
        { path, key: keyPath.slice(0, i + 1).join(".") },
      );
    }
    current = here ?? {};
  });
  const bom = text.startsWith(BOM) ? BOM : "";
  const body = bom ? text.slice(1) : text;
  const base = body.trim() ? body : "{}\n";
  const next = applyEdits(base, modify(base, keyPath, value, FORMAT));
  return `${bom}${next.endsWith("\n") ? next : `${next}\n`}`;
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
  const next = span
    ? [...lines.slice(0, span.start), section, ...lines.slice(span.end)].join("\n")
    : `${text.trimEnd()}${text.trim() ? "\n\n" : ""}${section}\n`;
  return verified(path, text, next, table, entries);
}

/** `a.b."c.d"` → ["a", "b", "c.d"]. */
function tablePath(table: string): string[] {
  return (table.match(/"(?:[^"\\]|\\.)*"|[^.]+/g) ?? []).map((part) =>
    part.startsWith('"') ? (JSON.parse(part) as string) : part,
  );
}

/**
 * Text edits on TOML are checked by parsing the result: a file that writes the
 * same table another way (inline, dotted keys, inside a multi-line string) would
 * be broken by them, so it is refused untouched instead.
 */
function verified(
  path: string,
  before: string,
  after: string,
  table: string,
  entries: Record<string, TomlValue>,
): string {
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = parseToml(after) as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  let node: unknown = parsed;
  for (const key of tablePath(table)) node = (node as Record<string, unknown> | undefined)?.[key];
  const ok =
    node !== undefined &&
    Object.entries(entries).every(
      ([key, value]) => JSON.stringify((node as Record<string, unknown>)[key]) === JSON.stringify(value),
    );
  if (!ok) {
    const line = Object.entries(entries).map(([key, value]) => `${key} = ${tomlValue(value)}`);
    throw new BatonError(
      "invalid_input",
      `${path} defines ${tablePath(table)[0]} in a form baton cannot add [${table}] to without changing its meaning; nothing was changed`,
      `add this by hand, then run baton connect again:\n[${table}]\n${line.join("\n")}`,
      { path },
    );
  }
  return before === after ? before : after;
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
