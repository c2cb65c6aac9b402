import { BatonError, clip } from "../errors.js";

const SECOND = 1000;
const DAY = 86_400_000;
const UNIT_MS: Record<string, number> = { ms: 1, s: SECOND, m: 60_000, h: 3_600_000, d: DAY };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
const BARE_SECONDS = /^\d+(\.\d+)?$/;

/** The shortest and longest a duration may be, in milliseconds. */
export interface DurationRange {
  min: number;
  max: number;
}

/**
 * What any duration must fit when no narrower range is given: at least 1 ms and
 * at most ten years (the longest look-back of `log --since`). Every use has its
 * own, narrower range in src/domain/limits.ts; this one only keeps a 400-digit
 * number from becoming Infinity.
 */
export const ANY_DURATION: DurationRange = { min: 1, max: 3650 * DAY };

/** `100ms to 7d`: a range as people write durations. */
export function describeRange(range: DurationRange): string {
  return `${formatDuration(range.min)} to ${formatDuration(range.max)}`;
}

/**
 * Parses a duration such as `90s`, `15m`, `1h30m` or `250ms` into milliseconds.
 * A bare number is read as seconds, the unit people type most for TTLs. Refuses
 * what does not parse, and what falls outside `range` (an overflow to Infinity
 * included), naming the range.
 */
export function parseDuration(text: string, what = "duration", range: DurationRange = ANY_DURATION): number {
  const input = String(text).trim().toLowerCase();
  let total = Number.NaN;
  if (BARE_SECONDS.test(input)) total = Number(input) * SECOND;
  else if (input !== "") {
    let consumed = 0;
    let sum = 0;
    PART.lastIndex = 0;
    for (let match = PART.exec(input); match; match = PART.exec(input)) {
      sum += Number(match[1]) * UNIT_MS[match[2]!]!;
      consumed = PART.lastIndex;
    }
    if (consumed === input.length) total = sum;
  }
  const allowed = `write a duration from ${describeRange(range)}, such as 30s, 15m, 1h30m or 250ms`;
  if (Number.isNaN(total)) throw new BatonError("invalid_input", `bad ${what} '${clip(text)}'`, allowed);
  const ms = Math.round(total);
  if (!Number.isFinite(total) || ms < range.min || ms > range.max) {
    throw new BatonError(
      "invalid_input",
      `${what} '${clip(text)}' is out of range: it must be ${describeRange(range)}`,
      allowed,
    );
  }
  return ms;
}

/**
 * Formats milliseconds as a short human duration: `45s`, `14m`, `2h05m`, `3d4h`.
 * Never prints NaN or Infinity: a value that is not a number shows as `?`, one
 * beyond a century as `>100y`.
 */
export function formatDuration(ms: number): string {
  if (Number.isNaN(ms)) return "?";
  const sign = ms < 0 ? "-" : "";
  if (Math.abs(ms) >= 36_500 * DAY) return `${sign}>100y`;
  let rest = Math.abs(Math.round(ms));
  if (rest < 1000) return `${sign}${rest}ms`;
  rest = Math.round(rest / 1000);
  if (rest < 60) return `${sign}${rest}s`;
  const minutes = Math.floor(rest / 60);
  if (minutes < 60) return `${sign}${minutes}m${rest % 60 ? `${String(rest % 60).padStart(2, "0")}s` : ""}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${sign}${hours}h${minutes % 60 ? `${String(minutes % 60).padStart(2, "0")}m` : ""}`;
  return `${sign}${Math.floor(hours / 24)}d${hours % 24 ? `${hours % 24}h` : ""}`;
}
