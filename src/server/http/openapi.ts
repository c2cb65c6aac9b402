import type { z } from "zod";
import { zodToJsonSchema } from "zod-to-json-schema";
import { ERRORS } from "../../errors.js";
import type { Route } from "./route.js";
import { API_PREFIX, ROUTES } from "./route-table.js";

type Json = Record<string, unknown>;

/** The JSON Schema of what a client sends: a schema's input side (before transforms), inline. */
export function inputSchema(schema: z.ZodTypeAny): Json {
  const json = zodToJsonSchema(schema, {
    // OpenAPI 3.1 schemas are JSON Schema (2020-12); 2019-09 is the nearest target the converter has.
    target: "jsonSchema2019-09",
    $refStrategy: "none",
    effectStrategy: "input",
    pipeStrategy: "input",
  }) as Json;
  delete json.$schema;
  return json;
}

const ERROR_SCHEMA: Json = {
  type: "object",
  required: ["error"],
  additionalProperties: false,
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "hint"],
      properties: {
        code: { type: "string", enum: Object.keys(ERRORS) },
        message: { type: "string" },
        hint: { type: "string", description: "what to do next" },
        details: { type: "object" },
      },
    },
  },
};

/** Every status an error can have, with the codes that give it (from the one error table). */
function errorResponses(): Json {
  const byStatus = new Map<number, string[]>();
  for (const [code, entry] of Object.entries(ERRORS))
    byStatus.set(entry.http, [...(byStatus.get(entry.http) ?? []), code]);
  const responses: Json = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `error: ${codes.join(", ")}`,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      ...(status === 429 || status === 503
        ? { headers: { "Retry-After": { schema: { type: "integer" }, description: "seconds to wait" } } }
        : {}),
    };
  }
  return responses;
}

function parameters(route: Route): Json[] {
  const path = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string", maxLength: 1024 },
  }));
  if (!route.query) return path;
  const query = inputSchema(route.query as z.ZodTypeAny) as { properties?: Json; required?: string[] };
  return [
    ...path,
    ...Object.entries(query.properties ?? {}).map(([name, schema]) => ({
      name,
      in: "query",
      required: query.required?.includes(name) ?? false,
      schema,
      ...((schema as Json).description ? { description: (schema as Json).description } : {}),
    })),
  ];
}

function operation(route: Route): Json {
  const op: Json = {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    parameters: parameters(route),
    responses: {
      [route.creates ? "201" : "200"]: {
        description: "the result, as JSON",
        content: { "application/json": { schema: { type: "object" } } },
      },
      ...errorResponses(),
    },
  };
  if (route.humanOnly) op["x-baton-human-only"] = true;
  if (route.body) {
    op.requestBody = {
      required: false,
      content: { "application/json": { schema: inputSchema(route.body as z.ZodTypeAny) } },
    };
  }
  if (route.operationId === "listEvents") {
    op["x-baton-stream"] =
      "With Accept: text/event-stream the answer is a live stream: each event as `id: <seq>`, `event: <type>`, `data: <event JSON>`; resume with Last-Event-ID (or after=); filters agent, type, task; a comment line every 15 s keeps it alive.";
    (op.responses as Json)["200"] = {
      description: "the events, or with Accept: text/event-stream a live stream of them",
      content: {
        "application/json": { schema: { type: "object" } },
        "text/event-stream": { schema: { type: "string" } },
      },
    };
  }
  return op;
}

/**
 * The OpenAPI 3.1 document of the API, generated from the route table and the
 * very schemas the handler validates with: a route cannot be served without
 * being listed, nor listed with a body other than the one checked.
 */
export function openApiDocument(version: string): Json {
  const paths: Json = {};
  for (const route of ROUTES) {
    const path = `/${API_PREFIX.join("/")}${route.path}`;
    paths[path] = { ...(paths[path] as Json | undefined), [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "baton hub API",
      version,
      description:
        "Every request is authenticated (an agent's key as Authorization: Bearer, or a paired device's session). Errors are {error: {code, message, hint, details?}}.",
    },
    paths,
    components: { schemas: { Error: ERROR_SCHEMA } },
  };
}
