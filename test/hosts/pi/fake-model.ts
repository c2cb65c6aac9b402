import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A scripted OpenAI Chat Completions server for pi (its "openai-completions"
 * api), on 127.0.0.1. Each turn of the script is what the model answers: text
 * and tool calls. The turn played is the number of assistant messages already
 * in the request, so a retry replays the same turn instead of skipping one.
 * Requests without tools (side calls such as a title) are answered "ok" and do
 * not count; past the script's end the model says "done".
 */
export type Action =
  | { text: string }
  | { tool: string; args: Record<string, unknown> }
  /** The tokens this turn reports instead of 10 in and 5 out (what pi prices from its models.json). */
  | { usage: { input: number; output: number } }
  /**
   * The API refuses the request (HTTP 400) with this message: pi ends the run
   * with an error, or retries it if the message reads as passing ("overloaded").
   * With `times`, only the turn's first `times` requests are refused; later ones
   * get the turn's other actions.
   */
  | { error: string; times?: number };
export type Turn = Action[];

export interface ChatMessage {
  role: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  // biome-ignore lint/suspicious/noExplicitAny: the request body is whatever JSON pi sent
  body: any;
  /** The script turn answered, or null for a side call / another route. */
  turn: number | null;
}

export interface ToolResult {
  toolCallId: string;
  toolName: string | undefined;
  text: string;
}

export interface FakeModel {
  /** The provider's baseUrl, ending in /v1. */
  url: string;
  requests: RecordedRequest[];
  /** Every tool result pi sent back, in the order they first appeared. */
  toolResults(): ToolResult[];
  close(): Promise<void>;
}

/** Message content as text: a string or an array of text parts. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join("");
  }
  return "";
}

function messagesOf(body: unknown): ChatMessage[] {
  const messages = (body as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) ? (messages as ChatMessage[]) : [];
}

export async function startFakeModel(script: Turn[]): Promise<FakeModel> {
  const requests: RecordedRequest[] = [];
  let calls = 0;
  const refused = new Map<number, number>(); // turn -> requests refused so far

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = { unparsed: raw };
      }
      const path = (req.url ?? "").split("?")[0]!;
      const record: RecordedRequest = { method: req.method ?? "", path, body, turn: null };
      requests.push(record);
      if (req.method !== "POST" || !path.endsWith("/chat/completions")) {
        sendJson(res, 404, { error: { message: `fake model: no route ${req.method} ${path}` } });
        return;
      }
      const tools = (body as { tools?: unknown[] } | null)?.tools;
      let text = "ok";
      const toolCalls: { id: string; name: string; arguments: string }[] = [];
      let usage = { input: 10, output: 5 };
      if (Array.isArray(tools) && tools.length > 0) {
        const turn = messagesOf(body).filter((m) => m.role === "assistant").length;
        record.turn = turn;
        text = "";
        for (const action of script[turn] ?? [{ text: "done" }]) {
          if ("error" in action) {
            const before = refused.get(turn) ?? 0;
            if (action.times !== undefined && before >= action.times) continue;
            refused.set(turn, before + 1);
            sendJson(res, 400, { error: { message: action.error, type: "invalid_request_error" } });
            return;
          }
          if ("usage" in action) {
            usage = action.usage;
          } else if ("tool" in action) {
            calls += 1;
            toolCalls.push({
              id: `call_${turn}_${calls}`,
              name: action.tool,
              arguments: JSON.stringify(action.args),
            });
          } else {
            text += action.text;
          }
        }
      }
      stream(res, (body as { model?: string } | null)?.model ?? "fake-model", text, toolCalls, usage);
    });
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
      // Tool names come from the assistant's calls; each request repeats the whole history.
      const names = new Map<string, string>();
      const results = new Map<string, ToolResult>();
      for (const { body } of requests) {
        for (const m of messagesOf(body)) {
          for (const call of m.tool_calls ?? []) names.set(call.id, call.function.name);
          if (m.role === "tool" && m.tool_call_id && !results.has(m.tool_call_id)) {
            results.set(m.tool_call_id, {
              toolCallId: m.tool_call_id,
              toolName: names.get(m.tool_call_id),
              text: contentText(m.content),
            });
          }
        }
      }
      return [...results.values()];
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const data = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(data) });
  res.end(data);
}

/** Answers as a server-sent event stream, which is how pi asks (stream: true). */
function stream(
  res: ServerResponse,
  model: string,
  text: string,
  toolCalls: { id: string; name: string; arguments: string }[],
  usage: { input: number; output: number },
): void {
  const id = `chatcmpl-fake-${Date.now()}`;
  const created = Math.floor(Date.now() / 1000);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (delta: object, finish: string | null = null, usage?: object) => {
    const choices = usage ? [] : [{ index: 0, delta, finish_reason: finish }];
    const chunk = {
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices,
      ...(usage ? { usage } : {}),
    };
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  };
  send({ role: "assistant", content: "" });
  if (text) send({ content: text });
  toolCalls.forEach((call, index) => {
    send({
      tool_calls: [
        { index, id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } },
      ],
    });
  });
  send({}, toolCalls.length > 0 ? "tool_calls" : "stop");
  send({}, null, {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
  });
  res.write("data: [DONE]\n\n");
  res.end();
}
