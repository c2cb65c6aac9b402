import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { toBatonError } from "../errors.js";

/** A tool's answer: JSON the model can read, compact. */
export function ok(data: unknown): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(data) }] };
}

/**
 * The one place a failure becomes a tool error: `isError` and a text that leads
 * with the stable code and ends with what to do, which is all the model has.
 */
export function failure(error: unknown): CallToolResult {
  const e = toBatonError(error);
  return {
    isError: true,
    content: [{ type: "text", text: `${e.code}: ${e.message}\nWhat to do: ${e.hint}` }],
  };
}
