import { z } from "zod";
import { DURATIONS, type DurationKind, NUMBERS } from "../../domain/limits.js";
import type { Workspace } from "../../services/workspace.js";
import { describeRange, parseDuration } from "../../util/duration.js";
import type { Principal } from "../principal.js";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A route's schemas are objects, strict: a field the route does not have is refused, never dropped. */
export type ObjectSchema = z.ZodType<Record<string, unknown>, z.ZodTypeDef, unknown>;

export interface RouteContext<B, Q> {
  /** The services as the principal: the one identity this request may act as. */
  ws: Workspace;
  principal: Principal;
  /** Path parameters, by the names in `path` (`{id}`), percent-decoded. */
  params: Record<string, string>;
  body: B;
  query: Q;
}

/**
 * One operation of the API: its method and path, the schemas its body and
 * query are validated with (and the API document is generated from), and
 * what it runs. `humanOnly`: a decision that needs a person (an agent's key is
 * refused with 403 before anything runs; the store refuses non-humans too).
 */
export interface Route<B = Record<string, unknown>, Q = Record<string, unknown>> {
  method: Method;
  /** Under /api/v1, with `{name}` for a path parameter: `/tasks/{id}/claim`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  body?: z.ZodType<B, z.ZodTypeDef, unknown>;
  query?: z.ZodType<Q, z.ZodTypeDef, unknown>;
  humanOnly?: boolean;
  /** Answered 201 Created instead of 200. */
  creates?: boolean;
  run(ctx: RouteContext<B, Q>): Promise<unknown>;
}

/** Keeps a route's types for its `run` and erases them for the table. */
export function route<B = Record<string, never>, Q = Record<string, never>>(definition: Route<B, Q>): Route {
  return definition as unknown as Route;
}

/** `true` or `false` in a query string. */
export const flag = z
  .enum(["true", "false"])
  .transform((value) => value === "true")
  .optional();

/** A whole number in a query string, within its range. */
export function whole(kind: keyof typeof NUMBERS) {
  const { min, max } = NUMBERS[kind];
  return z
    .string()
    .regex(/^\d{1,9}$/, "a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** An event sequence number or token in a query string. */
export const sequence = z
  .string()
  .regex(/^\d{1,15}$/, "a whole number")
  .transform(Number);

/**
 * A duration as the CLI takes it (`30s`, `15m`, `250ms`), within the range of
 * its kind; parsed in the schema, so a bad one is refused naming the field.
 */
export function duration(kind: DurationKind) {
  const range = DURATIONS[kind];
  return z
    .string()
    .max(32)
    .regex(/^\s*(\d+(\.\d+)?|(\d+(\.\d+)?(ms|s|m|h|d))+)\s*$/i, "a duration such as 30s")
    .describe(`a duration from ${describeRange(range)}, e.g. 30s, 15m, 1h30m or 250ms`)
    .transform((value) => parseDuration(value, kind, range));
}

/** A comma-separated list in a query string (`status=open,claimed`). */
export function list(max: number) {
  return z
    .string()
    .max(1024)
    .transform((value) =>
      value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string()).max(max));
}
