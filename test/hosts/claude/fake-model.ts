import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake Anthropic Messages API on 127.0.0.1 that plays a scripted
 * conversation to the real Claude Code. Claude Code streams (SSE) and posts to
 * `/v1/messages?beta=true`; it also makes side calls without tools (a title,
 * a summary), which are answered without moving the script on.
 */

/** One model action: a text block or a tool call (several per turn are allowed). */
export type Action = { text: string } | { tool: string; args?: Record<string, unknown> };
/** The script: turn N is played when the request already holds N assistant messages. */
export type Script = Action[][];

export interface RecordedRequest {
  method: string;
  path: string;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are arbitrary JSON the tests read
  body: any;
  /** "main" for a turn of the conversation, "side" for a call without tools. */
  kind?: "main" | "side";
  turn?: number;
}

export interface ToolResult {
  toolName: string | undefined;
  text: string;
  isError: boolean;
}

export interface FakeModel {
  url: string;
  requests: RecordedRequest[];
  /** Every tool result the host sent back, once each, in order, with the name of the tool that was called. */
  toolResults(): ToolResult[];
  close(): Promise<void>;
}

interface Block {
  type: string;
  id?: string;
  name?: string;
  input?: unknown;
  text?: string;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}

let ids = 0;
const nextId = (prefix: string) => `${prefix}_fake${(++ids).toString(36).padStart(6, "0")}`;

function contentOf(actions: Action[]): Block[] {
  const blocks = actions.map(
    (action): Block =>
      "tool" in action
        ? { type: "tool_use", id: nextId("toolu"), name: action.tool, input: action.args ?? {} }
        : { type: "text", text: action.text },
  );
  return blocks.length > 0 ? blocks : [{ type: "text", text: "done" }];
}

function send(res: ServerResponse, event: string, data: object): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Answers one request as a message, streamed when the host asked for a stream. */
function answer(res: ServerResponse, stream: boolean, model: string, content: Block[]): void {
  const stopReason = content.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn";
  const usage = {
    input_tokens: 10,
    output_tokens: 5,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
  const message = {
    id: nextId("msg"),
    type: "message",
    role: "assistant",
    model,
    usage,
    stop_sequence: null,
  };
  if (!stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ...message, content, stop_reason: stopReason }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  send(res, "message_start", {
    type: "message_start",
    message: { ...message, content: [], stop_reason: null },
  });
  content.forEach((block, index) => {
    if (block.type === "text") {
      send(res, "content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "text", text: "" },
      });
      send(res, "content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "text_delta", text: block.text },
      });
    } else {
      const start = { type: "tool_use", id: block.id, name: block.name, input: {} };
      send(res, "content_block_start", { type: "content_block_start", index, content_block: start });
      send(res, "content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
      });
    }
    send(res, "content_block_stop", { type: "content_block_stop", index });
  });
  send(res, "message_delta", {
    type: "message_delta",
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: 5 },
  });
  send(res, "message_stop", { type: "message_stop" });
  res.end();
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block: Block) => (block.type === "text" ? (block.text ?? "") : `[${block.type}]`))
    .join("\n");
}

export async function startFakeModel(script: Script): Promise<FakeModel> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: RecordedRequest["body"] = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = { unparsed: raw };
      }
      const path = (req.url ?? "").split("?")[0] ?? ""; // Claude Code adds ?beta=true
      const entry: RecordedRequest = { method: req.method ?? "", path, body };
      requests.push(entry);
      if (req.method === "POST" && path === "/v1/messages/count_tokens") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ input_tokens: Math.max(1, Math.ceil(raw.length / 4)) }));
        return;
      }
      if (req.method === "POST" && path === "/v1/messages") {
        const stream = body?.stream === true;
        const model = typeof body?.model === "string" ? body.model : "claude-fake";
        if (!Array.isArray(body?.tools) || body.tools.length === 0) {
          entry.kind = "side";
          answer(res, stream, model, [{ type: "text", text: "Fake title" }]);
          return;
        }
        const messages: { role: string }[] = Array.isArray(body.messages) ? body.messages : [];
        const turn = messages.filter((message) => message.role === "assistant").length;
        entry.kind = "main";
        entry.turn = turn;
        answer(res, stream, model, contentOf(script[turn] ?? [{ text: "done" }]));
        return;
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ type: "error", error: { type: "not_found_error", message: `no route ${path}` } }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;

  function toolResults(): ToolResult[] {
    const names = new Map<string, string>();
    const seen = new Set<string>();
    const results: ToolResult[] = [];
    for (const request of requests) {
      if (request.kind !== "main") continue;
      for (const message of request.body.messages as { role: string; content: unknown }[]) {
        if (!Array.isArray(message.content)) continue;
        for (const block of message.content as Block[]) {
          if (block.type === "tool_use" && block.id && block.name) names.set(block.id, block.name);
          if (block.type !== "tool_result" || !block.tool_use_id || seen.has(block.tool_use_id)) continue;
          seen.add(block.tool_use_id);
          results.push({
            toolName: names.get(block.tool_use_id),
            text: textOf(block.content),
            isError: block.is_error === true,
          });
        }
      }
    }
    return results;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    toolResults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
