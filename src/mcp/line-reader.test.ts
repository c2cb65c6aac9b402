import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LineEvent, LineReader } from "./line-reader.js";

/** What the events say, comparably: each line's text, or `<too long>`. */
function read(reader: LineReader, chunks: Buffer[]): string[] {
  const events: LineEvent[] = [...chunks.flatMap((chunk) => reader.push(chunk)), ...reader.end()];
  return events.map((event) => (event.kind === "line" ? event.bytes.toString("latin1") : "<too long>"));
}

/** The same stream cut into chunks at the given points. */
function cut(stream: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (stream.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...at, stream.length]) {
    chunks.push(stream.subarray(start, point));
    start = point;
  }
  return chunks;
}

describe("LineReader", () => {
  it("reads the same lines however the stream is cut, and reports each long line once", () => {
    const limit = 8;
    // Lines of 0 to 20 bytes over a small alphabet: many over the limit, some exactly at it.
    const line = fc.string({ unit: fc.constantFrom("a", "b", "{", "\r", "é"), maxLength: 20 });
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 12 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 10 }),
        (lines, trailing, points) => {
          const text = lines.join("\n") + (trailing && lines.length > 0 ? "\n" : "");
          const stream = Buffer.from(text, "latin1");
          // What the lines must come out as: the stream's own lines, the long ones reported instead.
          const parts = text.split("\n");
          const last = parts.pop()!;
          const expected = [...parts, ...(last === "" ? [] : [last])].map((l) =>
            Buffer.byteLength(l, "latin1") > limit ? "<too long>" : l,
          );
          expect(read(new LineReader(limit), cut(stream, points))).toEqual(expected);
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });

  it("keeps reading after a long line, and a line of exactly the limit is a line", () => {
    const reader = new LineReader(4);
    expect(read(reader, [Buffer.from("abcd\nabcde\nxy\n")])).toEqual(["abcd", "<too long>", "xy"]);
  });

  it("reports a long line as soon as it passes the limit, before its newline arrives", () => {
    const reader = new LineReader(4);
    expect(reader.push(Buffer.from("abcdef"))).toEqual([{ kind: "too_long", limit: 4 }]);
    expect(reader.push(Buffer.from("ghi"))).toEqual([]);
    expect(reader.push(Buffer.from("\nok\n")).map((e) => e.kind === "line" && e.bytes.toString())).toEqual([
      "ok",
    ]);
  });
});
