import { describe, expect, it } from "vitest";
import { BatonError } from "../errors.js";
import { formatDuration, parseDuration } from "./duration.js";

describe("durations", () => {
  it.each([
    ["15m", 900_000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["90", 90_000],
    ["1.5s", 1500],
    ["2d", 172_800_000],
  ])("parses %s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "soon", "15x", "-5m", "0s", "5m garbage"])("refuses %j", (text) => {
    expect(() => parseDuration(text)).toThrow(BatonError);
  });

  it("formats for people", () => {
    expect(formatDuration(45_000)).toBe("45s");
    expect(formatDuration(14 * 60_000)).toBe("14m");
    expect(formatDuration(125 * 60_000)).toBe("2h05m");
    expect(formatDuration(2 * 3_600_000)).toBe("2h");
    expect(formatDuration(7 * 86_400_000)).toBe("7d");
    expect(formatDuration(Number.NaN)).toBe("?");
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe(">100y");
  });
});
