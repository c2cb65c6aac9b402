import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

/**
 * A fake OpenAI Responses API on 127.0.0.1 that plays a scripted conversation
 * to the real Codex CLI (`wire_api = "responses"`, streamed as SSE).
 *
 * The script is a list of model turns, each a list of actions. The turn played
 * for a request is the number of model turns already in its `input`, so the
 * server keeps no session state: every call id it emits is tagged with its turn
 * (`call_t<turn>_…`), and all tool calls of one turn count once. Requests
 * without tools (titles, summaries) are side calls: answered, never counted.
 * Past the script's end the model says "done".
 */
export type Action =
  /** An assistant message. */
  | { text: string }
  /** A function call; MCP tools carry their server's namespace (Codex: `mcp__baton`). */
  | { tool: string; args: Record<string, unknown>; namespace?: string }
  /** A freeform custom tool call (Codex's `apply_patch` takes the raw patch). */
  | { tool: string; input: string }
  /** The API refuses the request (HTTP 400) with this message: the turn fails. */
  | { error: string };

export type Script = Action[][];

export interface RecordedRequest {
  method: string;
  path: string;
  // biome-ignore lint/suspicious/noExplicitAny: the request body is whatever Codex sent; tests read its shape
  body: any;
  /** The script turn answered; null for side calls and non-model requests. */
  turn: number | null;
}

export interface ToolResult {
  callId: string;
  /** The tool the fake model called under this id. */
  tool: string | undefined;
  /** What the host sent back as the tool's output. */
  text: string;
}

export interface FakeModel {
  /** The provider base URL, e.g. http://127.0.0.1:PORT/v1. */
  url: string;
  requests: RecordedRequest[];
  /** Every tool output the host sent back, in order, once each. */
  toolResults(): ToolResult[];
  close(): Promise<void>;
}

const MODEL_ITEMS = new Set(["function_call", "custom_tool_call", "local_shell_call", "tool_search_call"]);
const OUTPUT_ITEMS = new Set([
  "function_call_output",
  "custom_tool_call_output",
  "local_shell_call_output",
  "tool_search_output",
]);

type Item = Record<string, unknown>;

const id = (prefix: string) => `${prefix}_${randomBytes(6).toString("hex")}`;

function turnTag(callId: unknown): number | undefined {
  const match = /^call_t(\d+)_/.exec(typeof callId === "string" ? callId : "");
  return match ? Number(match[1]) : undefined;
}

/** Model turns already in a request's input: tagged tool calls count once per turn, other model output once each. */
export function countModelTurns(input: unknown): number {
  if (!Array.isArray(input)) return 0;
  const items = input as Item[];
  const tags = new Set<number>();
  let untagged = 0;
  const isTaggedCall = (item: Item | undefined) =>
    item !== undefined && MODEL_ITEMS.has(String(item.type)) && turnTag(item.call_id) !== undefined;
  items.forEach((item, i) => {
    if (MODEL_ITEMS.has(String(item?.type))) {
      const tag = turnTag(item.call_id);
      if (tag === undefined) untagged++;
      else tags.add(tag);
    } else if (item?.type === "message" && item.role === "assistant") {
      // A message next to a tagged call was part of that call's response.
      if (!isTaggedCall(items[i - 1]) && !isTaggedCall(items[i + 1])) untagged++;
    }
  });
  return tags.size + untagged;
}

function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (Array.isArray(output))
    return output.map((part) => (typeof part === "string" ? part : String(part?.text ?? ""))).join("");
  return JSON.stringify(output ?? "");
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "gzip":
      return gunzipSync(body);
    case "deflate":
      return inflateSync(body);
    case "br":
      return brotliDecompressSync(body);
    default:
      return body;
  }
}

export async function startFakeModel(script: Script): Promise<FakeModel> {
  const requests: RecordedRequest[] = [];
  const calls = new Map<string, string>(); // call id -> tool name

  function items(turn: number, actions: Action[]): Item[] {
    return actions.map((action, i) => {
      if ("error" in action) throw new Error("an error action is answered before any item");
      if ("text" in action)
        return {
          type: "message",
          id: id("msg"),
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: action.text, annotations: [] }],
        };
      const callId = `call_t${turn}_${i}_${randomBytes(4).toString("hex")}`;
      calls.set(callId, action.tool);
      if ("input" in action)
        return {
          type: "custom_tool_call",
          id: id("ctc"),
          status: "completed",
          call_id: callId,
          name: action.tool,
          input: action.input,
        };
      return {
        type: "function_call",
        id: id("fc"),
        status: "completed",
        call_id: callId,
        name: action.tool,
        arguments: JSON.stringify(action.args),
        ...(action.namespace ? { namespace: action.namespace } : {}),
      };
    });
  }

  /** Streams a finished response: each item added then done, then `response.completed`. */
  function stream(res: ServerResponse, model: string, output: Item[]): void {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const send = (type: string, data: Record<string, unknown>) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    const response = {
      id: id("resp"),
      object: "response",
      created_at: 0,
      model,
      status: "in_progress",
      output: [],
    };
    send("response.created", { response });
    output.forEach((item, index) => {
      send("response.output_item.added", { output_index: index, item });
      send("response.output_item.done", { output_index: index, item });
    });
    const usage = {
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 15,
    };
    send("response.completed", { response: { ...response, status: "completed", output, usage } });
    res.end();
  }

  function answer(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    let body: unknown;
    try {
      body = raw.length
        ? JSON.parse(decode(raw, req.headers["content-encoding"]).toString("utf8"))
        : undefined;
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = { method: req.method ?? "", path, body, turn: null };
    requests.push(record);
    const request = (body ?? {}) as { model?: string; tools?: unknown[]; input?: unknown };
    if (req.method !== "POST" || !path.endsWith("/responses")) {
      // /models and anything else: an empty answer, so Codex falls back to its defaults.
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [], models: [] }));
      return;
    }
    const model = request.model ?? "fake";
    if (!Array.isArray(request.tools) || request.tools.length === 0) {
      stream(res, model, items(-1, [{ text: "ok" }]));
      return;
    }
    const turn = countModelTurns(request.input);
    record.turn = turn;
    const actions = script[turn] ?? [{ text: "done" }];
    const refusal = actions.find((action) => "error" in action);
    if (refusal && "error" in refusal) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ error: { message: refusal.error, type: "invalid_request_error", code: null } }),
      );
      return;
    }
    stream(res, model, items(turn, actions));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => answer(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    toolResults() {
      const seen = new Set<string>();
      const results: ToolResult[] = [];
      for (const request of requests) {
        const input: unknown = request.body?.input;
        if (!Array.isArray(input)) continue;
        for (const item of input as Item[]) {
          const callId = String(item?.call_id ?? "");
          if (!OUTPUT_ITEMS.has(String(item?.type)) || seen.has(callId)) continue;
          seen.add(callId);
          results.push({ callId, tool: calls.get(callId), text: outputText(item.output) });
        }
      }
      return results;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
