import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake Gemini API (generativelanguage v1beta) that plays a scripted
 * conversation to the real Gemini CLI. The turn played is the number of model
 * turns already in the request's history, so a retried request replays the
 * same turn instead of skipping one. Gemini CLI also makes side calls (the
 * model router, loop detection, next-speaker checks): they ask for JSON or
 * offer no tools, get a canned answer, and are not turns.
 */

/** One thing the model says in a turn: a function call or text. */
export type Action =
  | { tool: string; args?: Record<string, unknown> }
  | { text: string }
  /** The API refuses the request (HTTP 400, not retried) with this message. */
  | { error: string };
/** A turn: what the model answers to one main request. */
export type Turn = Action[];

// biome-ignore lint/suspicious/noExplicitAny: request bodies are arbitrary JSON that tests inspect
type Json = any;

export interface RecordedRequest {
  path: string;
  rpc: string;
  kind: "turn" | "side" | "other";
  /** The turn played, for kind "turn". */
  turn?: number;
  body: Json;
}

/** A functionResponse the CLI sent back to the model: the tool's result. */
export interface ToolResult {
  name: string;
  /** The output, or the error a refused or failed call carries. */
  text: string;
  response: Json;
}

export interface FakeModel {
  url: string;
  requests: RecordedRequest[];
  toolResults(): ToolResult[];
  close(): Promise<void>;
}

const AFTER_SCRIPT = "done";

function wantsJson(body: Json): boolean {
  const config = body?.generationConfig ?? {};
  return Boolean(
    config.responseSchema ||
      config.responseJsonSchema ||
      String(config.responseMimeType ?? "").includes("json"),
  );
}

const offersTools = (body: Json): boolean =>
  (body?.tools ?? []).some((tool: Json) => (tool.functionDeclarations ?? []).length > 0);

/**
 * A value that satisfies a side call's JSON schema. Picks that matter: the
 * router's complexity_score must be at least 1, loop detection's confidence 0
 * means "no loop", and the next speaker is the user (the turn ends).
 */
function valueFor(schema: Json, key = ""): unknown {
  if (Array.isArray(schema?.enum) && schema.enum.length > 0)
    return schema.enum.includes("user") ? "user" : schema.enum[0];
  const type = String(schema?.type ?? (schema?.properties ? "object" : "string")).toLowerCase();
  if (type === "object")
    return Object.fromEntries(
      Object.entries(schema?.properties ?? {}).map(([name, inner]) => [name, valueFor(inner, name)]),
    );
  if (type === "array") return [];
  if (type === "number" || type === "integer")
    return typeof schema.minimum === "number" ? schema.minimum : /score/i.test(key) ? 1 : 0;
  if (type === "boolean") return false;
  return /speaker/i.test(key) ? "user" : "scripted fake model";
}

function sideAnswer(body: Json): string {
  if (!wantsJson(body)) return "ok";
  const config = body.generationConfig;
  const schema = config.responseJsonSchema ?? config.responseSchema;
  return JSON.stringify(schema ? valueFor(schema) : {});
}

function partsOf(turn: Turn | undefined): Json[] {
  if (!turn) return [{ text: AFTER_SCRIPT }];
  return turn.map((action) =>
    "tool" in action
      ? { functionCall: { name: action.tool, args: action.args ?? {} } }
      : { text: "text" in action ? action.text : "" },
  );
}

function candidate(parts: Json[], finished: boolean): Json {
  return {
    candidates: [
      { content: { role: "model", parts }, index: 0, ...(finished ? { finishReason: "STOP" } : {}) },
    ],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
    modelVersion: "fake-model",
  };
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return { raw: text };
  }
}

export async function startFakeModel(script: Turn[]): Promise<FakeModel> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const body = await readJson(req);
    const path = req.url ?? "";
    const rpc = /:([A-Za-z]+)(\?|$)/.exec(path)?.[1] ?? "";
    const record: RecordedRequest = { path, rpc, kind: "other", body };
    requests.push(record);
    const send = (status: number, value: Json) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (rpc === "countTokens") return send(200, { totalTokens: 10 });
    if (rpc !== "generateContent" && rpc !== "streamGenerateContent")
      return send(404, {
        error: { code: 404, message: `fake model: no route ${path}`, status: "NOT_FOUND" },
      });

    let parts: Json[];
    if (offersTools(body) && !wantsJson(body)) {
      record.kind = "turn";
      const turn: number = (body?.contents ?? []).filter((c: Json) => c.role === "model").length;
      record.turn = turn;
      const refusal = script[turn]?.find((action) => "error" in action);
      if (refusal && "error" in refusal)
        return send(400, { error: { code: 400, message: refusal.error, status: "INVALID_ARGUMENT" } });
      parts = partsOf(script[turn]);
    } else {
      record.kind = "side";
      parts = [{ text: sideAnswer(body) }];
    }
    if (rpc === "generateContent") return send(200, candidate(parts, true));
    // streamGenerateContent?alt=sse: one event per part, the last one finishes the turn.
    res.writeHead(200, { "content-type": "text/event-stream" });
    parts.forEach((part, i) => {
      res.write(`data: ${JSON.stringify(candidate([part], i === parts.length - 1))}\n\n`);
    });
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    // Every main request carries the whole history, so the last one holds every result so far, in order.
    toolResults() {
      const last = requests.filter((r) => r.kind === "turn").at(-1);
      return (last?.body?.contents ?? [])
        .flatMap((content: Json) => content.parts ?? [])
        .filter((part: Json) => part.functionResponse)
        .map(({ functionResponse: { name, response } }: Json) => ({
          name,
          response,
          text:
            typeof response?.output === "string"
              ? response.output
              : (response?.error ?? JSON.stringify(response)),
        }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
