import { BatonError } from "../errors.js";

/**
 * Parses JSON with comments (// and /* *\/) and trailing commas, as in
 * `.baton/config.json`. Comments and those commas are blanked out rather than
 * removed, so a parse error's offset points into the original text. (A full
 * JSONC library cost ~11 ms of every CLI start; this is all reading needs.)
 */
export function parseJsonc(text: string, what: string): unknown {
  const chars = text.split(""); // UTF-16 units, as JSON.parse counts positions
  let inString = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "/" && chars[i + 1] === "/") {
      while (i < chars.length && chars[i] !== "\n") chars[i++] = " ";
    } else if (c === "/" && chars[i + 1] === "*") {
      const start = i;
      while (i < chars.length && !(chars[i] === "*" && chars[i + 1] === "/")) i++;
      for (let k = start; k <= Math.min(i + 1, chars.length - 1); k++) if (chars[k] !== "\n") chars[k] = " ";
      i++;
    } else if (c === ",") {
      let k = i + 1;
      while (k < chars.length && /\s/.test(chars[k]!)) k++;
      if (chars[k] === "}" || chars[k] === "]") chars[i] = " ";
    }
  }
  const clean = chars.join("");
  try {
    return JSON.parse(clean);
  } catch (error) {
    const message = (error as Error).message;
    const offset = /position (\d+)/.exec(message)?.[1];
    const where = offset === undefined ? "" : ` at ${lineAndColumn(text, Number(offset))}`;
    throw new BatonError(
      "invalid_input",
      `${what} does not parse${where}: ${message.replace(/ in JSON at position \d+.*$/, "")}`,
      "fix the file (comments and trailing commas are allowed), or move it aside and run `baton init`",
    );
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}
