import { BatonError } from "../errors.js";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/**
 * Parses a duration such as `90s`, `15m`, `1h30m` or `250ms` into milliseconds.
 * A bare number is read as seconds, the unit people type most for TTLs.
 */
export function parseDuration(text: string, what = "duration"): number {
  const input = text.trim().toLowerCase();
  let total = 0;
  if (/^\d+(\.\d+)?$/.test(input)) total = Number(input) * 1000;
  let consumed = 0;
  PART.lastIndex = 0;
  for (let match = total > 0 ? null : PART.exec(input); match; match = PART.exec(input)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed = PART.lastIndex;
  }
  if (total > 0 && /^\d+(\.\d+)?$/.test(input)) consumed = input.length;
  if (input === "" || consumed !== input.length || !(total >= 1)) {
    throw new BatonError(
      "invalid_input",
      `bad ${what} '${text}'`,
      "write a positive duration such as 30s, 15m, 1h30m or 250ms",
    );
  }
  return Math.round(total);
}

/** Formats milliseconds as a short human duration: `45s`, `14m`, `2h05m`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(Math.round(ms));
  if (rest < 1000) return `${sign}${rest}ms`;
  rest = Math.round(rest / 1000);
  if (rest < 60) return `${sign}${rest}s`;
  const minutes = Math.floor(rest / 60);
  if (minutes < 60) return `${sign}${minutes}m${rest % 60 ? `${String(rest % 60).padStart(2, "0")}s` : ""}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${sign}${hours}h${String(minutes % 60).padStart(2, "0")}m`;
  return `${sign}${Math.floor(hours / 24)}d${hours % 24}h`;
}
