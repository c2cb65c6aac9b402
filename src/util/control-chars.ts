/**
 * Text written by agents (titles, messages, intents, reasons, names...) is shown
 * to people in terminals, markdown files and host UIs. A terminal obeys control
 * characters: `ESC ] 52` writes the clipboard, `ESC [ 2 J` clears the screen, a
 * carriage return overwrites what the line said, bidi overrides reorder it
 * ("Trojan Source"). So every face shows such characters as visible stand-ins
 * and never passes them on. Newlines and tabs are the only controls kept, and
 * only where the text may span lines.
 */

/** C0 controls but tab and newline, DEL, C1 controls, and the invisible format characters that reorder or split text. */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** The visible stand-in for one unsafe character: a control picture (␛, ␍, ␇) or its code point. */
function standIn(char: string): string {
  const code = char.codePointAt(0)!;
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
}

/** Shows unsafe characters as visible stand-ins; keeps newlines and tabs. */
export function neutralise(text: string): string {
  return text.replace(UNSAFE, standIn);
}

/** For one line of a listing or a table cell: unsafe characters shown, newlines and tabs become spaces. */
export function oneLine(text: string): string {
  return neutralise(text).replace(/[\n\t]/g, " ");
}

/** Whether the text holds anything `neutralise` would change. */
export function hasUnsafe(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/** What JSON.stringify leaves raw but a terminal or a UI may still act on: DEL, C1 and the invisible format characters. */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * JSON.stringify, with every character that could act on a terminal written as
 * a \u escape: the same value for a JSON reader, inert when a person pipes it
 * to a terminal or a host shows it.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    JSON_UNSAFE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Every string inside a JSON-like value neutralised: for answers a host shows to a person (hook reasons, context). */
export function neutraliseStrings<T>(value: T): T {
  if (typeof value === "string") return neutralise(value) as T;
  if (Array.isArray(value)) return value.map(neutraliseStrings) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, neutraliseStrings(v)])) as T;
  }
  return value;
}
