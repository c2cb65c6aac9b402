/**
 * How many terminal columns text takes, and cutting it to fit. Colour codes
 * take none; East Asian wide characters and most emoji take two; combining
 * marks take none. Approximate (no full Unicode width table), but right for the
 * text agents write: code, English, CJK, emoji.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes start with ESC
const SGR = /^\u001b\[[0-9;]*m/;

function charWidth(code: number): number {
  if ((code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f) || code === 0xfe0f) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  )
    return 2;
  return 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; ) {
    const sgr = text[i] === "\u001b" ? SGR.exec(text.slice(i)) : null;
    if (sgr) {
      i += sgr[0].length;
      continue;
    }
    const code = text.codePointAt(i)!;
    width += charWidth(code);
    i += code > 0xffff ? 2 : 1;
  }
  return width;
}

/** Cuts `text` to at most `width` columns, ending in "…" when cut; colour codes are kept and closed. */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  let coloured = false;
  for (let i = 0; i < text.length; ) {
    const sgr = text[i] === "\u001b" ? SGR.exec(text.slice(i)) : null;
    if (sgr) {
      out += sgr[0];
      coloured = true;
      i += sgr[0].length;
      continue;
    }
    const code = text.codePointAt(i)!;
    const w = charWidth(code);
    if (used + w > width - 1) break;
    out += String.fromCodePoint(code);
    used += w;
    i += code > 0xffff ? 2 : 1;
  }
  // Close whatever colour was open at the cut, with the codes the style itself uses.
  return `${out}…${coloured ? "\u001b[22m\u001b[39m" : ""}`;
}
