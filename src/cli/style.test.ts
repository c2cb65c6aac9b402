import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasUnsafe } from "../util/control-chars.js";
import { forTerminal } from "./output.js";
import { type Style, table } from "./style.js";
import { displayWidth } from "./text-width.js";

/** A style as on a colour terminal, whatever the test's own stdout is. */
function colourStyle(columns?: number): Style {
  const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    paper: (t) => wrap(30, 39)(wrap(107, 49)(t)),
    codes: [1, 2, 22, 31, 32, 33, 36, 39].map((n) => `\u001b[${n}m`),
    columns,
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching our own colour codes
const OURS = /\u001b\[(1|2|22|31|32|33|36|39)m/g;
const text = fc.string({
  unit: fc.constantFrom("a", "é", "中", "😀", "\u001b", "[", "m", "3", "1", "\r", "\u009b", "\u202e", " "),
});

describe("the gate before the terminal", () => {
  it("lets through only this process's own colour codes", () => {
    const s = colourStyle();
    fc.assert(
      fc.property(fc.array(fc.tuple(text, fc.constantFrom("bold", "dim", "red", "none"))), (parts) => {
        const built = parts.map(([t, how]) => (how === "none" ? t : s[how as "bold"](t))).join("");
        const out = forTerminal(built, s);
        expect(hasUnsafe(out.replace(OURS, ""))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("with colour off, lets nothing through", () => {
    const off = { ...colourStyle(), codes: [] };
    expect(forTerminal("a\u001b[1mb\u001b[22m", off)).toBe("a␛[1mb␛[22m");
  });
});

describe("tables that fit the terminal", () => {
  it("no line is wider than the terminal when the columns can give way", () => {
    const s = colourStyle();
    fc.assert(
      fc.property(
        fc.array(fc.array(text, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 40, max: 120 }),
        (rows, width) => {
          const styled = rows.map((row) => row.map((cell, i) => (i === 0 ? s.bold(cell) : cell)));
          for (const line of table(styled, width).split("\n")) {
            expect(displayWidth(line)).toBeLessThanOrEqual(width);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("cuts with an ellipsis and keeps what fits", () => {
    const out = table(
      [
        ["ID", "TITLE"],
        ["T-1", "a long title that will not fit in a narrow terminal"],
      ],
      30,
    );
    expect(out.split("\n")[1]).toBe("T-1  a long title that will n…");
    expect(table([["T-1", "short"]], 30)).toBe("T-1  short");
  });

  it("without a width nothing is cut (a pipe or a file gets every character)", () => {
    const long = "x".repeat(500);
    expect(table([["T-1", long]])).toBe(`T-1  ${long}`);
  });
});
