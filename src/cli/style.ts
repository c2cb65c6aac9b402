import { displayWidth, truncateToWidth } from "./text-width.js";

/** ANSI colour: on for a terminal, off for a pipe; NO_COLOR and FORCE_COLOR override (see colourOn). And the width to fit. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  /** Black on white whatever the terminal's theme: for what must keep its contrast (a QR code). */
  paper(text: string): string;
  /** The escape codes this style writes (none when colour is off): the only ones let through to the terminal. */
  readonly codes: readonly string[];
  /** Columns to fit tables into: the terminal's width, or $COLUMNS; undefined means no limit (a pipe, a file). */
  readonly columns: number | undefined;
}

const SGR = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  black: [30, 39],
  whiteBackground: [107, 49],
} as const;

function columnsOf(stream: NodeJS.WriteStream): number | undefined {
  if (stream.isTTY && stream.columns > 0) return stream.columns;
  const fromEnv = Number(process.env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
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
  const codes = on ? [...new Set(Object.values(SGR).flat())].map((n) => `\u001b[${n}m`) : [];
  return {
    bold: wrap(...SGR.bold),
    dim: wrap(...SGR.dim),
    red: wrap(...SGR.red),
    green: wrap(...SGR.green),
    yellow: wrap(...SGR.yellow),
    cyan: wrap(...SGR.cyan),
    paper: (text) => wrap(...SGR.black)(wrap(...SGR.whiteBackground)(text)),
    codes,
    columns: columnsOf(stream),
  };
}

/**
 * Pads columns to their widest cell; the last column is left as it is. Given a
 * width, a row that would wrap is cut to fit, as gh does: the last column
 * (the free text) gives way first, then the widest others, down to a few
 * characters each, each cut marked with an ellipsis; then the columns in
 * `dropOrder` are left out, one at a time, until the table fits.
 */
export function table(rows: string[][], width?: number, dropOrder: readonly number[] = []): string {
  const natural: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      natural[i] = Math.max(natural[i] ?? 0, displayWidth(cell));
    });
  }
  let widths = [...natural];
  if (width !== undefined) {
    shrink(widths, width);
    // Still too wide with every column at its narrowest: leave out the columns
    // that matter least (the caller says which), until the rest fits.
    const dropped = new Set<number>();
    for (const column of dropOrder) {
      if (fits(widths, width)) break;
      dropped.add(column);
      widths = natural.filter((_, i) => !dropped.has(i));
      shrink(widths, width);
    }
    if (dropped.size) rows = rows.map((row) => row.filter((_, i) => !dropped.has(i)));
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          const fitted = truncateToWidth(cell, widths[i]!);
          return i === row.length - 1 ? fitted : fitted + " ".repeat(widths[i]! - displayWidth(fitted));
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The narrowest a column is cut to: room for a few characters and the ellipsis. */
const MIN_COLUMN = 6;

/** The width of a row: its columns and the two spaces between each. */
function rowWidth(widths: number[]): number {
  return widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
}

function fits(widths: number[], width: number): boolean {
  return rowWidth(widths) <= width;
}

function shrink(widths: number[], width: number): void {
  const total = () => rowWidth(widths);
  const last = widths.length - 1;
  // The free-text column first, down to its minimum...
  widths[last] = Math.max(Math.min(widths[last]!, MIN_COLUMN), widths[last]! - (total() - width));
  // ...then the widest of the others, one column at a time.
  while (total() > width) {
    let widest = -1;
    for (let i = 0; i < last; i++)
      if (widths[i]! > MIN_COLUMN && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break; // every column at its minimum: let the terminal wrap
    const next = Math.max(
      ...widths.filter((w, i) => i !== widest && i < last && w < widths[widest]!),
      MIN_COLUMN,
    );
    widths[widest] = Math.max(next, widths[widest]! - (total() - width));
  }
}
