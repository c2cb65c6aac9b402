import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { toBatonError } from "../errors.js";
import { neutralise, neutraliseStrings, safeJson } from "../util/control-chars.js";

/**
 * A tool's answer: JSON the model can read, compact. Hosts show tool results to
 * the person too, so what agents wrote arrives escaped (safeJson), never as a
 * raw control character.
 */
export function ok(data: unknown): CallToolResult {
  return { content: [{ type: "text", text: safeJson(data) }] };
}

/**
 * The one place a failure becomes a tool error: `isError`, a text that leads
 * with the stable code and ends with what to do (worded with tool names: it is
 * all the model has), and the same as structured content with the details
 * (who holds a lease, until when) for a host or a program to read.
 */
export function failure(error: unknown): CallToolResult {
  const e = toBatonError(error);
  const hint = e.toolHint ?? e.hint;
  const details = e.details ? `\nDetails: ${safeJson(e.details)}` : "";
  return {
    isError: true,
    content: [
      {
        type: "text",
        text: `${e.code}: ${neutralise(e.message)}\nWhat to do: ${neutralise(hint)}${details}`,
      },
    ],
    // Shown by hosts to people as well: what agents wrote in it is shown, never obeyed.
    structuredContent: neutraliseStrings({
      error: { code: e.code, message: e.message, hint, ...(e.details ? { details: e.details } : {}) },
    }),
  };
}
