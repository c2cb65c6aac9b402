/** ANSI colour: on for a terminal, off for a pipe; NO_COLOR and FORCE_COLOR override (see colourOn). */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/**
 * Whether to colour a stream. FORCE_COLOR wins when set, as in Node itself: "0" or "false" turn
 * colour off, any other value (empty included) on, even into a pipe. Then NO_COLOR, per
 * no-color.org: present *and not empty* turns colour off; an empty NO_COLOR is as if unset.
 */
export function colourOn(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (env.NO_COLOR) return false;
  return stream.isTTY === true && env.TERM !== "dumb";
}

export function makeStyle(stream: NodeJS.WriteStream): Style {
  const on = colourOn(stream);
  const wrap = (open: number, close: number) => (text: string) =>
    on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

/** Pads columns to their widest cell; the last column is left as it is. */
export function table(rows: string[][], visibleLength: (s: string) => number = stripAnsi): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i]! - visibleLength(cell))))
        .join("  "),
    )
    .join("\n");
}

function stripAnsi(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}
