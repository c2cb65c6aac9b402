import {
  ErrorCode,
  isJSONRPCErrorResponse,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";

/**
 * An error answer as JSON-RPC 2.0 writes it. `id` is null when the request's
 * id could not be read (unparsable, or not a string or an integer): the SDK's
 * own type has no null, so the transport writes these itself.
 */
export interface ErrorAnswer {
  jsonrpc: "2.0";
  id: RequestId | null;
  error: { code: number; message: string; data?: unknown };
}

/** What one line from the host is: a message to serve, error answers to send back, or nothing to answer. */
export type Inbound =
  | { kind: "message"; message: JSONRPCMessage }
  | { kind: "answer"; answers: ErrorAnswer[] }
  /** `why` is for the log; a blank line has none. */
  | { kind: "ignore"; why?: string };

/**
 * Deeper JSON is refused before anything walks it: JSON.parse copes with any
 * depth, but JSON.stringify, zod and the SDK recurse, and a line of 100,000
 * brackets overflowed the stack. baton's deepest message is about 6 levels.
 */
export const MAX_DEPTH = 64;

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function errorAnswer(
  id: RequestId | null,
  code: number,
  message: string,
  data?: unknown,
): ErrorAnswer {
  return { jsonrpc: "2.0", id, error: { code, message, ...(data === undefined ? {} : { data }) } };
}

const answer = (...args: Parameters<typeof errorAnswer>): Inbound => ({
  kind: "answer",
  answers: [errorAnswer(...args)],
});

/**
 * Reads one line as JSON-RPC 2.0 (https://www.jsonrpc.org/specification) with
 * MCP's narrowing: params are an object, an id is a string or an integer,
 * never null. Anything that needs an answer gets exactly one; a notification
 * never gets one, nor does a response (answering answers could loop forever
 * between two peers).
 */
export function readLine(bytes: Buffer): Inbound {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return answer(null, ErrorCode.ParseError, "Parse error: the line is not valid UTF-8");
  }
  // A blank line (or a stray CR from CRLF framing) carries no message: nothing to answer.
  if (text.trim() === "") return { kind: "ignore" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return answer(null, ErrorCode.ParseError, `Parse error: ${(error as Error).message}`);
  }
  if (deeperThan(value, MAX_DEPTH)) {
    const id = isObject(value) && isRequestId(value.id) ? value.id : null;
    return answer(
      id,
      ErrorCode.InvalidRequest,
      `Invalid Request: JSON nested deeper than ${MAX_DEPTH} levels`,
    );
  }
  if (Array.isArray(value)) return refuseBatch(value);
  return readMessage(value);
}

/** One parsed JSON value, checked member by member; unknown members are ignored, as JSON-RPC leaves them. */
function readMessage(value: unknown): Inbound {
  if (!isObject(value)) return answer(null, ErrorCode.InvalidRequest, "Invalid Request: not a JSON object");
  const hasId = "id" in value;
  const id = isRequestId(value.id) ? value.id : null;
  if (value.jsonrpc !== "2.0")
    return answer(id, ErrorCode.InvalidRequest, 'Invalid Request: jsonrpc must be "2.0"');
  if ("method" in value) {
    if ("result" in value || "error" in value)
      return answer(id, ErrorCode.InvalidRequest, "Invalid Request: a method and a result or error together");
    if (typeof value.method !== "string")
      return answer(id, ErrorCode.InvalidRequest, "Invalid Request: method must be a string");
    if (hasId && id === null)
      return answer(null, ErrorCode.InvalidRequest, "Invalid Request: id must be a string or an integer");
    const method = value.method;
    if ("params" in value && !isObject(value.params)) {
      // An array is valid JSON-RPC (positional params) that MCP does not use; anything else is not JSON-RPC at all.
      if (!Array.isArray(value.params))
        return answer(id, ErrorCode.InvalidRequest, "Invalid Request: params must be an object");
      if (!hasId) return { kind: "ignore", why: `notification ${short(method)} with params in an array` };
      return answer(id, ErrorCode.InvalidParams, "Invalid params: MCP params are an object, not an array");
    }
    const params = "params" in value ? { params: value.params as Record<string, unknown> } : {};
    const message = hasId
      ? { jsonrpc: "2.0" as const, id: id!, method, ...params }
      : { jsonrpc: "2.0" as const, method, ...params };
    return { kind: "message", message };
  }
  if ("result" in value || "error" in value) return readResponse(value);
  return answer(id, ErrorCode.InvalidRequest, "Invalid Request: no method (nor a result or error)");
}

/** A response from the host to a request of ours: passed on if well formed, never answered either way. */
function readResponse(value: Record<string, unknown>): Inbound {
  const { jsonrpc, id, result, error } = value;
  const message = "result" in value ? { jsonrpc, id, result } : { jsonrpc, id, error };
  if (
    ("result" in value && "error" in value) ||
    !(isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message))
  )
    return { kind: "ignore", why: "a malformed response" };
  return { kind: "message", message };
}

/**
 * MCP 2025-06-18 removed JSON-RPC batching and baton speaks that version and
 * later (the SDK's latest is 2025-11-25), so a batch is refused whole, nothing
 * in it run. Each request in it gets its own error under its id, so a client
 * waiting on those ids fails at once instead of hanging; a batch with no such
 * request (empty, notifications, junk) gets one error with a null id.
 */
function refuseBatch(items: unknown[]): Inbound {
  const message =
    "Invalid Request: batches are not supported (MCP 2025-06-18 and later): send one message per line";
  const ids = items.filter((item) => isObject(item) && "method" in item && isRequestId(item.id));
  const answers = ids.map((item) =>
    errorAnswer((item as { id: RequestId }).id, ErrorCode.InvalidRequest, message),
  );
  return {
    kind: "answer",
    answers: answers.length > 0 ? answers : [errorAnswer(null, ErrorCode.InvalidRequest, message)],
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** MCP: "a string or integer"; an integer past 2^53 would come back changed, so it is not one. */
function isRequestId(value: unknown): value is RequestId {
  return typeof value === "string" || Number.isSafeInteger(value);
}

/** Walks the value without recursion: the point is to refuse what recursion cannot survive. */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** A method name fit for a log line. */
export function short(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
