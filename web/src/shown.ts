/**
 * Text from agents (a question, an approval's action, a message, a diff) is
 * shown as it reads, never as it would act: a bidi override (U+202E) reorders
 * what the person sees ("Trojan Source": an approval's `rm -rf` shown as
 * something harmless), zero-width and other invisible characters hide or
 * split words, and C0/C1 controls have no business on a page. Every string
 * the hub sends is read through `safeReviver`, which turns them into visible
 * stand-ins, as baton's terminal faces do (src/util/control-chars.ts);
 * newlines and tabs stay.
 */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

function standIn(char: string): string {
  const code = char.codePointAt(0)!;
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
}

/** A string with every unsafe character shown as a stand-in. */
export function shown(text: string): string {
  return text.replace(UNSAFE, standIn);
}

/** For JSON.parse: every string value shown safely (keys are the hub's own). */
export function safeReviver(_key: string, value: unknown): unknown {
  return typeof value === "string" ? shown(value) : value;
}
