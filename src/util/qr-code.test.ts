import { describe, expect, it } from "vitest";
import { encodeQr, type QrMatrix, renderQr } from "./qr-code.js";

/**
 * The encoder was checked module for module against an independent one
 * (qrcode-generator 1.4.4, level M, same version, each of the 8 masks forced)
 * for every text length from 1 to 213 bytes: identical for one mask each
 * time. These tests keep the parts a reader checks first: the fixed
 * patterns, the format information a reader decodes before anything else,
 * the size for the text, and the terminal rendering.
 */

function formatBits(m: QrMatrix): { first: number; second: number } {
  const n = m.length;
  const bit = (x: number, y: number) => (m[y]![x] ? 1 : 0);
  let first = 0;
  let second = 0;
  // Bit i of the 15, in the positions ISO/IEC 18004 gives around the top-left finder and split by the others.
  const around: [number, number][] = [
    [8, 0],
    [8, 1],
    [8, 2],
    [8, 3],
    [8, 4],
    [8, 5],
    [8, 7],
    [8, 8],
    [7, 8],
    [5, 8],
    [4, 8],
    [3, 8],
    [2, 8],
    [1, 8],
    [0, 8],
  ];
  around.forEach(([x, y], i) => {
    first |= bit(x, y) << i;
  });
  for (let i = 0; i < 8; i++) second |= bit(n - 1 - i, 8) << i;
  for (let i = 8; i < 15; i++) second |= bit(8, n - 15 + i) << i;
  return { first, second };
}

/** The format word for level M and `mask`, as the standard computes it (BCH(15,5), then the XOR mask). */
function formatWord(mask: number): number {
  const data = mask; // level M is 00
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

describe("the QR code of a pairing link", () => {
  const link = `http://127.0.0.1:7345/pair#bp_${"x".repeat(43)}`;

  it("has finder patterns in three corners and alternating timing lines", () => {
    const m = encodeQr(link);
    const n = m.length;
    for (const [ox, oy] of [
      [0, 0],
      [n - 7, 0],
      [0, n - 7],
    ]) {
      for (let y = 0; y < 7; y++)
        for (let x = 0; x < 7; x++) {
          const ring = Math.max(Math.abs(x - 3), Math.abs(y - 3));
          expect(m[oy! + y]![ox! + x], `finder at ${ox},${oy}`).toBe(ring !== 2);
        }
    }
    for (let i = 8; i < n - 8; i++) {
      expect(m[6]![i]).toBe(i % 2 === 0);
      expect(m[i]![6]).toBe(i % 2 === 0);
    }
    expect(m[n - 8]![8]).toBe(true); // the dark module
  });

  it("carries the same valid format information twice: level M and one of the 8 masks", () => {
    for (const text of ["a", link, "y".repeat(150)]) {
      const { first, second } = formatBits(encodeQr(text));
      expect(second).toBe(first);
      expect([0, 1, 2, 3, 4, 5, 6, 7].map(formatWord)).toContain(first);
    }
  });

  it("grows with the text: 21 modules for a few bytes, up to version 10 (57) for 213, and refuses more", () => {
    expect(encodeQr("a").length).toBe(21);
    expect(encodeQr(link).length).toBe(37); // version 5 at level M
    expect(encodeQr("z".repeat(213)).length).toBe(57);
    expect(() => encodeQr("z".repeat(214))).toThrow(RangeError);
  });

  it("renders two module rows per line in half blocks, inside a quiet zone, inverted on request", () => {
    const m = encodeQr("a");
    const lines = renderQr(m, { margin: 2 });
    expect(lines).toHaveLength(Math.ceil((21 + 4) / 2));
    for (const line of lines) expect(line).toMatch(/^[ █▀▄]{25}$/);
    expect(lines[0]).toBe(" ".repeat(25));
    const inverted = renderQr(m, { margin: 2, invert: true });
    expect(inverted[0]).toBe("█".repeat(25));
    // The top-left finder's top edge is dark: drawn where the inverted rendering leaves a gap.
    expect(lines[1]!.slice(2, 9)).toBe("█▀▀▀▀▀█");
    expect(inverted[1]!.slice(2, 9)).toBe(" ▄▄▄▄▄ ");
  });
});
