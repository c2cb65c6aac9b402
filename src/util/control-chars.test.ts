import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasUnsafe, neutralise, neutraliseStrings, oneLine, safeJson } from "./control-chars.js";

/** Strings rich in what terminals act on: C0, C1, DEL, ESC sequences, bidi controls. */
const hostile = fc
  .array(
    fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc.constantFrom(
        "\u001b",
        "\u001b[2J",
        "\u001b]52;c;eA==\u0007",
        "\r",
        "\b",
        "\u009b",
        "\u202e",
        "\u2066",
        "\u007f",
        "\u0000",
      ),
      fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(""));

describe("control characters", () => {
  it("neutralise leaves nothing a terminal acts on, keeps newlines and tabs, and is idempotent", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const shown = neutralise(text);
        expect(hasUnsafe(shown)).toBe(false);
        expect(neutralise(shown)).toBe(shown);
        expect(shown.split("\n").length).toBe(text.split("\n").length);
      }),
      { numRuns: 2000 },
    );
  });

  it("oneLine gives one line", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(oneLine(text)).not.toMatch(/[\n\t]/);
        expect(hasUnsafe(oneLine(text))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("safeJson reads back as the same value and holds no raw control character", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), hostile), (value) => {
        const json = safeJson(value);
        expect(JSON.parse(json)).toEqual(value);
        expect(hasUnsafe(json)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("neutraliseStrings reaches strings at any depth and leaves other values alone", () => {
    const value = { a: "\u001b[2J", b: [1, "\r", { c: "\u009b" }], d: null, e: true };
    expect(neutraliseStrings(value)).toEqual({ a: "␛[2J", b: [1, "␍", { c: "<U+009B>" }], d: null, e: true });
  });
});
