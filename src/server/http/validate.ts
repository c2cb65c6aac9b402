import type { ZodIssue, z } from "zod";
import { BatonError, clip } from "../../errors.js";

/** `'title' must be string, not number`: the field, then what was wrong with it. */
function describe(issue: ZodIssue, where: string): string {
  const field = issue.path.length > 0 ? `'${issue.path.join(".")}'` : `the ${where}`;
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown field ${issue.keys.map((k) => `'${clip(k, 40)}'`).join(", ")} in the ${where}${issue.path.length ? ` at ${field}` : ""}`;
    case "invalid_type":
      if (issue.received === "undefined") return `${field} is required (${issue.expected})`;
      return `${field} must be ${issue.expected}, not ${issue.received}`;
    case "too_big":
      return `${field} is too ${issue.type === "string" ? "long" : issue.type === "array" ? "long a list" : "large"}: at most ${issue.maximum}`;
    case "too_small":
      return `${field} is too ${issue.type === "string" ? "short" : issue.type === "array" ? "short a list" : "small"}: at least ${issue.minimum}`;
    case "invalid_enum_value":
      return `${field} must be one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")}`;
    default:
      return `${field}: ${issue.message}`;
  }
}

/**
 * Validates a request's body or query with the route's own schema (the one the
 * API document is generated from), or throws `invalid_input` naming the fields.
 */
export function validate<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  where: "body" | "query",
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  throw new BatonError(
    "invalid_input",
    `invalid ${where}: ${issues
      .slice(0, 3)
      .map((issue) => describe(issue, where))
      .join("; ")}`,
    "see the route's schema in the API document (GET /api/v1/openapi.json)",
    { issues: issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message })) },
  );
}
