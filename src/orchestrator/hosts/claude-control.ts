/**
 * Claude Code's stream-json control protocol, as far as `baton work` speaks
 * it: the prompt goes in as a user message, and with `--permission-prompt-tool
 * stdio` each permission request comes out as a `control_request` that waits
 * for our `control_response`. Shapes checked against Claude Code 2.1.330:
 *
 *   in:  {"type":"user","message":{"role":"user","content":"…"},"parent_tool_use_id":null,"session_id":""}
 *   out: {"type":"control_request","request_id":"…","request":{"subtype":"can_use_tool","tool_name":"Bash",
 *         "input":{…},"tool_use_id":"toolu_…","description":"…","permission_suggestions":[…],…}}
 *   in:  {"type":"control_response","response":{"subtype":"success","request_id":"…",
 *         "response":{"behavior":"allow","updatedInput":{…}}}}
 *        or "response":{"behavior":"deny","message":"…","interrupt":true?}
 *        or {"type":"control_response","response":{"subtype":"error","request_id":"…","error":"…"}}
 *
 * A deny's message reaches the model as the tool's error result; with
 * `interrupt` the turn stops and ends in a `result` with `is_error: true`.
 */

/** One permission request: which tool, with what input, for which tool call. */
export interface CanUseTool {
  requestId: string;
  toolName: string;
  input: Record<string, unknown>;
  toolUseId: string;
}

const line = (value: object) => `${JSON.stringify(value)}\n`;

/** The task's prompt as the one user message of a stream-json session. */
export function userMessage(text: string): string {
  return line({
    type: "user",
    message: { role: "user", content: text },
    parent_tool_use_id: null,
    session_id: "",
  });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads a parsed stdout line as a control request: a permission request, some
 * other request (answered with an error: baton offers no hooks or MCP of its own
 * over this channel), or nothing of the kind.
 */
export function controlRequest(
  m: Record<string, unknown>,
): { canUseTool: CanUseTool } | { other: string; subtype: string } | undefined {
  if (m.type !== "control_request" || typeof m.request_id !== "string" || !isObject(m.request))
    return undefined;
  const r = m.request;
  if (r.subtype === "can_use_tool" && typeof r.tool_name === "string")
    return {
      canUseTool: {
        requestId: m.request_id,
        toolName: r.tool_name,
        input: isObject(r.input) ? r.input : {},
        toolUseId: typeof r.tool_use_id === "string" ? r.tool_use_id : "",
      },
    };
  return { other: m.request_id, subtype: String(r.subtype) };
}

/** Lets the tool run, with its input as asked. */
export function allowResponse(requestId: string, input: Record<string, unknown>): string {
  return line({
    type: "control_response",
    response: {
      subtype: "success",
      request_id: requestId,
      response: { behavior: "allow", updatedInput: input },
    },
  });
}

/** Refuses the tool; `message` is what the model reads. `interrupt` also stops the turn. */
export function denyResponse(requestId: string, message: string, interrupt: boolean): string {
  return line({
    type: "control_response",
    response: {
      subtype: "success",
      request_id: requestId,
      response: { behavior: "deny", message, ...(interrupt ? { interrupt: true } : {}) },
    },
  });
}

/** Answers a request baton does not serve. */
export function errorResponse(requestId: string, error: string): string {
  return line({ type: "control_response", response: { subtype: "error", request_id: requestId, error } });
}
