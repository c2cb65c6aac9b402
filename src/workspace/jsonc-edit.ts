import { createScanner, findNodeAtLocation, type Node, parseTree } from "jsonc-parser";
import { BatonError } from "../errors.js";

/**
 * Setting and removing keys in JSON-with-comments text, touching nothing else. jsonc-parser's
 * own `modify` re-formats the neighbouring property when it inserts or removes one, and on
 * removal drops a comment that sat between the two (measured: `"tasks": {...}, // main` lost
 * its comment when the next queue was removed). These edits only ever splice: a value is
 * replaced where it stands, a new key goes on a line of its own after the last one (or inline
 * in a one-line object), and a removed key takes its own line with it, comments on other lines
 * kept.
 */

const COMMA = 5; // jsonc-parser's SyntaxKind.CommaToken (a const enum the compiler cannot inline here)
const EOF = 17;

/** A value as one line, in the spacing people write by hand: `{ "prefix": "T", "tags": ["a", "b"] }`. */
export function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}

function tree(text: string): Node {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (root?.type !== "object") {
    throw new BatonError("invalid_input", "the file does not hold one JSON object", "fix the file by hand");
  }
  return root;
}

const splice = (text: string, start: number, end: number, insert: string) =>
  text.slice(0, start) + insert + text.slice(end);

/** The first token after `offset` that is not whitespace or a comment. */
function nextToken(text: string, offset: number): { kind: number; offset: number } {
  const scanner = createScanner(text, true);
  scanner.setPosition(offset);
  const kind = scanner.scan();
  return { kind, offset: kind === EOF ? text.length : scanner.getTokenOffset() };
}

/** Where the line holding `offset` ends: at its line break (`\r\n` or `\n`), or the text's end. */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  if (newline < 0) return text.length;
  return text[newline - 1] === "\r" ? newline - 1 : newline;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Sets `path` to `value`: replaced in place if the key exists, else added (with any missing parent objects). */
export function setKey(text: string, path: string[], value: unknown): string {
  const root = tree(text);
  const existing = findNodeAtLocation(root, path);
  if (existing) return splice(text, existing.offset, existing.offset + existing.length, inlineJson(value));
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length ? findNodeAtLocation(root, parentPath) : root;
  if (!parent) return setKey(text, parentPath, { [path.at(-1)!]: value });
  if (parent.type !== "object") {
    throw new BatonError(
      "invalid_input",
      `"${parentPath.join(".")}" is not an object, so "${path.at(-1)}" cannot go in it`,
      "fix that key by hand",
    );
  }
  return addProperty(text, parent, `${JSON.stringify(path.at(-1))}: ${inlineJson(value)}`);
}

function addProperty(text: string, object: Node, property: string): string {
  const close = object.offset + object.length - 1;
  const last = object.children?.at(-1);
  if (!last) {
    const inner = text.slice(object.offset + 1, close);
    if (!inner.includes("\n")) return splice(text, object.offset + 1, close, ` ${property} `);
    const indent = `${/^[ \t]*/.exec(text.slice(lineStart(text, close), close))![0]}  `;
    return splice(text, object.offset + 1, object.offset + 1, `${eolOf(text)}${indent}${property}`);
  }
  const lastEnd = last.offset + last.length;
  const after = nextToken(text, lastEnd);
  const hasComma = after.kind === COMMA;
  const multiline = text.slice(object.offset, close).includes("\n");
  if (!multiline) {
    return hasComma
      ? splice(text, after.offset + 1, after.offset + 1, ` ${property},`)
      : splice(text, lastEnd, lastEnd, `, ${property}`);
  }
  // On a line of its own below the last property, past any comment that ends that line.
  const indent = /^[ \t]*/.exec(text.slice(lineStart(text, last.offset), last.offset))![0];
  const from = hasComma ? after.offset + 1 : lastEnd;
  const end = Math.min(lineEnd(text, from), close);
  const added = splice(text, end, end, `${eolOf(text)}${indent}${property}${hasComma ? "," : ""}`);
  return hasComma ? added : splice(added, lastEnd, lastEnd, ",");
}

function eolOf(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

/** Removes `path` if it is there, with its comma, and its line if nothing else is on it. */
export function removeKey(text: string, path: string[]): string {
  const value = findNodeAtLocation(tree(text), path);
  const property = value?.parent;
  if (property?.type !== "property") return text;
  const object = property.parent!;
  const siblings = object.children!;
  const index = siblings.indexOf(property);
  let start = property.offset;
  let end = property.offset + property.length;
  const after = nextToken(text, end);
  let commaBefore: number | undefined;
  if (after.kind === COMMA) end = after.offset + 1;
  else if (index > 0) {
    const before = nextToken(text, siblings[index - 1]!.offset + siblings[index - 1]!.length);
    if (before.kind === COMMA) commaBefore = before.offset;
  }
  // Alone on its line (a comment after it on that line is about it): the whole line goes.
  const from = lineStart(text, start);
  const to = lineEnd(text, end);
  if (/^[ \t]*$/.test(text.slice(from, start)) && /^[ \t]*(\/\/.*)?$/.test(text.slice(end, to))) {
    start = from;
    end = Math.min(text.length, to + (text[to] === "\r" ? 2 : 1));
  }
  const removed = splice(text, start, end, "");
  return commaBefore === undefined ? removed : splice(removed, commaBefore, commaBefore + 1, "");
}
