import {
  type CallToolResult,
  ErrorCode,
  type Tool,
  type ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import { type ZodIssue, type ZodRawShape, z } from "zod";
import { zodToJsonSchema } from "zod-to-json-schema";
import { describeLoss } from "../domain/lost-holds.js";
import { BatonError } from "../errors.js";
import { short } from "./jsonrpc-inbound.js";
import { progress, type ToolExtra } from "./progress.js";
import { ProtocolError } from "./protocol-error.js";
import { failure, ok } from "./result.js";
import type { McpSession } from "./session.js";

export interface ToolDefinition<S extends ZodRawShape> {
  title: string;
  description: string;
  input: S;
  /** What a host may assume about the tool (MCP tool annotations); every baton tool stays inside baton's own store. */
  annotations: Omit<ToolAnnotations, "title" | "openWorldHint">;
  /** The tool sends its own progress (it waits in slices); others get a beat every 5 s while they run. */
  ownProgress?: boolean;
  run(input: z.infer<z.ZodObject<S>>, extra: ToolExtra): Promise<unknown>;
}

interface Registered {
  ownProgress: boolean;
  schema: z.ZodTypeAny;
  listing: Tool;
  run(input: unknown, extra: ToolExtra): Promise<unknown>;
}

interface JsonProperty {
  type?: unknown;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  items?: { type?: unknown };
}

type JsonSchema = { properties?: Record<string, JsonProperty>; required?: string[] };

/**
 * baton's tools, validated strictly: an argument name the tool does not have
 * (`claim_task {"id": "T-2"}`, a natural guess for `task_id`) or a value of the
 * wrong type is a tool error that lists the valid arguments, never dropped in
 * silence. The SDK's own McpServer drops unknown keys and reports bad types as
 * a dump of zod issues, so baton answers `tools/list` and `tools/call` itself.
 */
/**
 * A tool's input schemas, by tool name. They depend on its definition alone
 * (no definition's input names a session or the config), so they are built
 * once per process, not once per MCP session: the hub serves an agent per key,
 * and building every tool's zod and JSON schema kept ~240 KB per session
 * (measured by `npm run bench -- hub` with 100 agents).
 */
const SCHEMAS = new Map<string, { schema: z.ZodObject<ZodRawShape>; json: Record<string, unknown> }>();

function schemasOf(
  name: string,
  input: ZodRawShape,
): { schema: z.ZodObject<ZodRawShape>; json: Record<string, unknown> } {
  let known = SCHEMAS.get(name);
  if (!known) {
    const schema = z.object(input).strict();
    const json = zodToJsonSchema(schema, {
      $refStrategy: "none",
      effectStrategy: "input",
      pipeStrategy: "input",
    }) as Record<string, unknown>;
    delete json.$schema;
    known = { schema, json };
    SCHEMAS.set(name, known);
  }
  return known;
}

export class ToolRegistry {
  private readonly tools = new Map<string, Registered>();

  constructor(private readonly session: McpSession) {}

  add<S extends ZodRawShape>(name: string, definition: ToolDefinition<S>): void {
    const { schema, json } = schemasOf(name, definition.input);
    this.tools.set(name, {
      ownProgress: definition.ownProgress === true,
      schema,
      listing: {
        name,
        title: definition.title,
        description: definition.description,
        inputSchema: json as Tool["inputSchema"],
        annotations: { title: definition.title, openWorldHint: false, ...definition.annotations },
      },
      run: (input, extra) => definition.run(input as z.infer<z.ZodObject<S>>, extra),
    });
  }

  list(): Tool[] {
    return [...this.tools.values()].map((tool) => tool.listing);
  }

  /**
   * Every call: a heartbeat, strict validation, then the tool; any failure becomes a tool error with its hint,
   * arguments that do not fit included (MCP 2025-11-25: input validation errors are tool execution errors, so
   * the model can correct itself). Only a tool that does not exist is a protocol error.
   */
  async call(name: string, args: unknown, extra: ToolExtra): Promise<CallToolResult> {
    const tool = this.tools.get(name);
    if (!tool) {
      // A protocol error (MCP: "Unknown tools" are -32602); the list is in the message, all a model sees.
      const names = [...this.tools.keys()];
      throw new ProtocolError(
        ErrorCode.InvalidParams,
        `there is no tool ${short(name)}; baton's tools are: ${names.join(", ")}`,
        { tools: names },
      );
    }
    try {
      await this.session.beat();
      const input = this.validate(name, tool, args ?? {});
      const run = () => tool.run(input, extra);
      return this.withNotices(ok(await (tool.ownProgress ? run() : whileReporting(extra, run))));
    } catch (error) {
      return this.withNotices(failure(error));
    }
  }

  /**
   * A claim or lease the agent lost since its last call (it expired and some
   * process swept it, a human cancelled the task, a lease was force-released)
   * rides on whatever the model calls next, once: the holder learns it
   * whoever noticed first, without having to ask.
   */
  private withNotices(result: CallToolResult): CallToolResult {
    const lost = this.session.takeNotices();
    if (lost.length === 0) return result;
    const text = [
      "lease_lost: since your last call, you lost what you held:",
      ...lost.map((l) => `- ${describeLoss(l)}`),
    ];
    return { ...result, content: [...result.content, { type: "text", text: text.join("\n") }] };
  }

  private validate(name: string, tool: Registered, args: unknown): unknown {
    const parsed = tool.schema.safeParse(args);
    if (parsed.success) return parsed.data;
    const schema = tool.listing.inputSchema as JsonSchema;
    // A wrong name first: the missing argument it hides is usually the same one.
    const issues = [...parsed.error.issues].sort(
      (a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"),
    );
    const what = issues
      .slice(0, 3)
      .map((issue) => describeIssue(issue, schema))
      .join("; ");
    throw new BatonError("invalid_input", `${name}: ${what}`, argumentsHint(name, schema), {
      arguments: Object.keys(schema.properties ?? {}),
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
}

const PROGRESS_EVERY_MS = 5000;

/**
 * Sends progress while a call runs long (a quality gate running the tests on
 * complete_task), so a host that counts progress as life does not cut it off.
 */
async function whileReporting<T>(extra: ToolExtra, body: () => Promise<T>): Promise<T> {
  if (extra._meta?.progressToken === undefined) return body();
  let beats = 0;
  const timer = setInterval(() => {
    progress(extra, ++beats * (PROGRESS_EVERY_MS / 1000), "working").catch(() => undefined);
  }, PROGRESS_EVERY_MS);
  try {
    return await body();
  } finally {
    clearInterval(timer);
  }
}

/** `string, up to 200 characters`: the type and the range the model must keep to (src/domain/limits.ts). */
function typeOf(property: JsonProperty | undefined): string {
  if (!property) return "any";
  if (Array.isArray(property.enum)) return `one of ${property.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  const { items } = property;
  if (property.type === "array" && items?.type)
    return `array of ${String(items.type)}${property.maxItems !== undefined ? `, up to ${property.maxItems}` : ""}`;
  if (property.maxLength !== undefined)
    return `${String(property.type)}, up to ${property.maxLength} characters`;
  if (property.maximum !== undefined)
    return `${String(property.type)} from ${property.minimum ?? "-∞"} to ${property.maximum}`;
  return String(property.type ?? "any");
}

/** `claim_task takes task_id (string), queue (string), tags (array of string)`. */
function argumentsHint(name: string, schema: JsonSchema): string {
  const entries = Object.entries(schema.properties ?? {});
  if (entries.length === 0) return `${name} takes no arguments: call it with {}`;
  const required = new Set(schema.required ?? []);
  const list = entries.map(
    ([key, property]) => `${key} (${typeOf(property)}${required.has(key) ? ", required" : ""})`,
  );
  return `${name} takes ${list.join(", ")}`;
}

/** The valid argument a wrong name most likely meant: `id` → `task_id`, `path` → `paths`. */
function closest(key: string, valid: string[]): string | undefined {
  const k = key.toLowerCase();
  return (
    valid.find((v) => v === k) ??
    valid.find((v) => v.endsWith(`_${k}`) || v.startsWith(`${k}_`) || v === `${k}s` || `${v}s` === k) ??
    valid.find((v) => editDistance(v, k) <= 2)
  );
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

function describeIssue(issue: ZodIssue, schema: JsonSchema): string {
  const path = issue.path.join(".");
  const valid = Object.keys(schema.properties ?? {});
  switch (issue.code) {
    case "unrecognized_keys":
      if (issue.path.length > 0)
        return `unknown key ${issue.keys.map((k) => `'${k}'`).join(", ")} in '${path}'`;
      return issue.keys
        .map((key) => {
          const guess = closest(key, valid);
          return `unknown argument '${key}'${guess ? ` (did you mean '${guess}'?)` : ""}`;
        })
        .join("; ");
    case "invalid_type":
      if (issue.received === "undefined") return `missing required argument '${path}' (${issue.expected})`;
      if (issue.path.length === 0) return `the arguments must be an object, not ${issue.received}`;
      return `argument '${path}' must be ${issue.expected}, not ${issue.received}`;
    case "too_big":
      return `argument '${path}' ${outOfRange(issue.type, "big")}: at most ${issue.maximum}${unitOf(issue.type)}`;
    case "too_small":
      return `argument '${path}' ${outOfRange(issue.type, "small")}: at least ${issue.minimum}${unitOf(issue.type)}`;
    case "invalid_enum_value":
      return `argument '${path}' must be one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")}, not ${JSON.stringify(issue.received)}`;
    default:
      return `argument '${path}': ${issue.message}`;
  }
}

function unitOf(type: string): string {
  return type === "string" ? " characters" : type === "array" ? " items" : "";
}

function outOfRange(type: string, side: "big" | "small"): string {
  if (type === "string") return side === "big" ? "is too long" : "is too short";
  if (type === "array") return side === "big" ? "has too many items" : "has too few items";
  return side === "big" ? "is too large" : "is too small";
}
