import { BatonError } from "../errors.js";

/** A structured report of finished work, given with `task done --report FILE` (YAML or JSON). */
export interface TaskReport {
  summary: string;
  findings: Finding[];
  recommendations: string[];
  filesModified: string[];
  filesCreated: string[];
  errors: string[];
}

export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  description: string;
  severity: Severity;
  file: string | null;
  line: number | null;
}

export const MAX_REPORT_BYTES = 256 * 1024;

const EXAMPLE = `summary: Fixed the login redirect
findings:
  - description: Session cookie lacked SameSite
    severity: medium
    file: src/auth/session.ts
    line: 42
recommendations: [Add an end-to-end test for logout]
files_modified: [src/auth/session.ts]
files_created: []
errors: []`;

function bad(where: string, what: string): never {
  throw new BatonError("invalid_input", `report: ${where} ${what}`, `a report looks like:\n${EXAMPLE}`);
}

function stringList(raw: Record<string, unknown>, names: string[]): string[] {
  const key = names.find((name) => raw[name] !== undefined);
  if (key === undefined || raw[key] === null) return [];
  const value = raw[key];
  if (!Array.isArray(value)) bad(key, "must be a list");
  return value.map((item, i) => {
    if (typeof item !== "string" || !item.trim()) bad(`${key}[${i}]`, "must be non-empty text");
    return item.trim();
  });
}

/** Validates parsed report data; accepts snake_case (files_modified) and camelCase (filesModified). */
export function validateReport(raw: unknown): TaskReport {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    bad("the document", "must be a mapping with a summary");
  const r = raw as Record<string, unknown>;
  const known = new Set([
    "summary",
    "findings",
    "recommendations",
    "files_modified",
    "filesModified",
    "files_created",
    "filesCreated",
    "errors",
  ]);
  const unknown = Object.keys(r).filter((key) => !known.has(key));
  if (unknown.length) bad(`field ${unknown.map((k) => `"${k}"`).join(", ")}`, "is not part of a report");
  if (typeof r.summary !== "string" || !r.summary.trim()) bad("summary", "is required text");
  const findings = r.findings ?? [];
  if (!Array.isArray(findings)) bad("findings", "must be a list");
  return {
    summary: r.summary.trim(),
    findings: findings.map((item: unknown, i: number): Finding => {
      const where = `findings[${i}]`;
      if (typeof item !== "object" || item === null)
        bad(where, "must be a mapping with description and severity");
      const f = item as Record<string, unknown>;
      if (typeof f.description !== "string" || !f.description.trim())
        bad(`${where}.description`, "is required text");
      const severity = f.severity ?? "info";
      if (!SEVERITIES.includes(severity as Severity))
        bad(`${where}.severity`, `must be one of ${SEVERITIES.join(", ")}`);
      if (f.file !== undefined && f.file !== null && typeof f.file !== "string")
        bad(`${where}.file`, "must be a path");
      if (f.line !== undefined && f.line !== null && !(Number.isInteger(f.line) && (f.line as number) > 0)) {
        bad(`${where}.line`, "must be a positive whole number");
      }
      return {
        description: f.description.trim(),
        severity: severity as Severity,
        file: (f.file as string | undefined) ?? null,
        line: (f.line as number | undefined) ?? null,
      };
    }),
    recommendations: stringList(r, ["recommendations"]),
    filesModified: stringList(r, ["files_modified", "filesModified"]),
    filesCreated: stringList(r, ["files_created", "filesCreated"]),
    errors: stringList(r, ["errors"]),
  };
}
