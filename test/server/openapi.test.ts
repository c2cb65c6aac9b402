import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../src/server/http/openapi.js";
import { ROUTES } from "../../src/server/http/route-table.js";
import { validate } from "../../src/server/http/validate.js";
import { call, startServer } from "../helpers/http-server.js";
import { asAgent } from "../helpers/test-authenticator.js";

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  minItems?: number;
  minimum?: number;
  pattern?: string;
  anyOf?: Schema[];
}

/** Values a pattern is tried with, in order; a string field with a pattern takes the first that fits it. */
const PATTERNED = ["30s", "1"];

/**
 * A value that fits a JSON schema, built from the schema alone: every
 * property, optional ones too, at the smallest size the schema allows.
 */
function sample(schema: Schema): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(schema.anyOf[0]!);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sample(value)]),
      );
    case "array":
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () => sample(schema.items ?? {}));
    case "string":
      if (schema.pattern) return PATTERNED.find((value) => new RegExp(schema.pattern!).test(value));
      return "a".repeat(Math.max(1, schema.minLength ?? 0));
    case "integer":
    case "number":
      return Math.max(1, schema.minimum ?? 0);
    case "boolean":
      return true;
    default:
      return {};
  }
}

// biome-ignore lint/suspicious/noExplicitAny: walking a generated document
type Doc = any;

describe("the OpenAPI document", () => {
  const doc: Doc = openApiDocument("1.2.3");

  it("lists every route of the table, each once, with its method, parameters and error answers", () => {
    expect(doc.openapi).toBe("3.1.0");
    const ids = new Set<string>();
    for (const route of ROUTES) {
      const op = doc.paths[`/api/v1${route.path}`]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op.operationId).toBe(route.operationId);
      expect(ids.has(route.operationId)).toBe(false);
      ids.add(route.operationId);
      for (const name of route.path.matchAll(/\{(\w+)\}/g))
        expect(op.parameters).toContainEqual(
          expect.objectContaining({ name: name[1], in: "path", required: true }),
        );
      expect(Object.keys(op.responses)).toEqual(
        expect.arrayContaining(["400", "401", "403", "404", "413", "429"]),
      );
      expect(op.responses["429"].headers["Retry-After"]).toBeDefined();
      if (route.body)
        expect(op.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
    }
    const operations = Object.values(doc.paths).flatMap((entry) => Object.keys(entry as object));
    expect(operations).toHaveLength(ROUTES.length);
  });

  it("describes bodies and queries a route's own validation accepts", () => {
    let checked = 0;
    for (const route of ROUTES) {
      const op = doc.paths[`/api/v1${route.path}`][route.method.toLowerCase()];
      if (route.body) {
        const body = sample(op.requestBody.content["application/json"].schema);
        expect(
          () => validate(route.body!, body, "body"),
          `${route.operationId} ${JSON.stringify(body)}`,
        ).not.toThrow();
        checked++;
      }
      const query = Object.fromEntries(
        op.parameters
          .filter((p: { in: string }) => p.in === "query")
          .map((p: { name: string; schema: Schema }) => [p.name, String(sample(p.schema))]),
      );
      if (route.query) {
        expect(
          () => validate(route.query!, query, "query"),
          `${route.operationId} ${JSON.stringify(query)}`,
        ).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("is served at /api/v1/openapi.json, to an authenticated caller", async () => {
    const { url } = await startServer();
    const served = await call(url, "GET", "/api/v1/openapi.json", asAgent("a1"));
    expect(served.status).toBe(200);
    expect(served.body.info.version).toBe("0.0.0-test");
    expect(Object.keys(served.body.paths)).toEqual(Object.keys(doc.paths));
    expect((await call(url, "GET", "/api/v1/openapi.json", {})).status).toBe(401);
    const wrong = await call(url, "POST", "/api/v1/openapi.json", asAgent("a1"), {});
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET");
  });
});
