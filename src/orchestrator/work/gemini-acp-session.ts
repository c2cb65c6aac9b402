import type { Writable } from "node:stream";
import type { RunFacts } from "../hosts/headless-run.js";
import { json } from "../hosts/run-readers.js";
import type { PermissionBroker } from "./permission-broker.js";

/** How long a run the broker interrupted may take to end by itself (after `session/cancel`) before it is stopped. */
const INTERRUPT_GRACE_MS = 10_000;

/**
 * How many extra prompts may carry refusals' reasons to the model: each is a
 * model turn, and each may be refused again; past this the run ends as it is.
 */
const MAX_FOLLOW_UPS = 2;

/** Ids of baton's own requests, to tell their answers apart. */
const ID = { initialize: "baton-init", session: "baton-session", prompt: "baton-prompt" };

const record = (v: unknown) =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** What a `session/request_permission` of Gemini CLI 0.61 says, made into what the broker decides on. */
export interface AcpPermission {
  tool: string;
  input: Record<string, unknown>;
  toolCallId: string;
  /** The optionId to answer with to allow this once, and to reject it. */
  allow: string | undefined;
  reject: string | undefined;
}

/**
 * Reads a permission request's params. Gemini CLI (0.61, zedIntegration's
 * runTool) sends no tool name and no arguments, only `toolCall {toolCallId,
 * title, kind, content, locations}`; its core names every call
 * `<tool name>__<id>`, so the name is what comes before the first `__`. The
 * input is rebuilt from what is exact: run_shell_command's title is its
 * command (the shell tool's getDisplayTitle), an edit's diff names its file;
 * anything else gets its title, which no rule's command or path pattern matches.
 */
export function acpPermission(params: Record<string, unknown>): AcpPermission {
  const call = record(params.toolCall);
  const toolCallId = str(call.toolCallId) ?? "unknown";
  const cut = toolCallId.indexOf("__");
  const tool = cut > 0 ? toolCallId.slice(0, cut) : (str(call.kind) ?? "unknown");
  const title = str(call.title) ?? "";
  const diff = (Array.isArray(call.content) ? call.content : []).map(record).find((c) => c.type === "diff");
  const input: Record<string, unknown> =
    tool === "run_shell_command"
      ? { command: title }
      : diff && str(diff.path)
        ? { file_path: str(diff.path) }
        : { title };
  if (str(call.kind)) input.kind = call.kind;
  const options = (Array.isArray(params.options) ? params.options : []).map(record);
  const option = (kind: string) => str(options.find((o) => o.kind === kind)?.optionId);
  return { tool, input, toolCallId, allow: option("allow_once"), reject: option("reject_once") };
}

/**
 * The client side of one `gemini --acp` run (Agent Client Protocol, JSON-RPC
 * 2.0 in lines on stdio): `initialize`, `session/new` in the work folder,
 * then `session/prompt` with the task's prompt; each `session/request_permission`
 * goes through the broker and is answered with the host's allow-once or
 * reject-once option. Gemini tells the model only that a rejected tool "was
 * canceled by the user", so the reasons of refusals go to the model in one
 * more prompt once its turn ends. Closing stdin ends Gemini: that happens when
 * the last prompt is answered or a request of baton's is refused. The facts
 * are read by the command's own reader (run-readers.ts).
 */
export class GeminiAcpSession {
  private closed = false;
  private graceTimer: NodeJS.Timeout | undefined;
  private sessionId: string | undefined;
  private untold: string[] = [];
  private followUps = 0;
  private interrupted = false;
  private prompt = "";

  constructor(
    private readonly stdin: Writable,
    private readonly broker: PermissionBroker,
    private readonly facts: RunFacts,
    private readonly cwd: string,
    private readonly stop: () => void,
  ) {}

  start(prompt: string): void {
    this.prompt = prompt;
    // No client capabilities: Gemini reads and writes files itself, with its own tools.
    this.request(ID.initialize, "initialize", { protocolVersion: 1, clientCapabilities: {} });
  }

  /** Reads one line of the host's stdout. */
  line(text: string): void {
    const m = json(text);
    if (m?.jsonrpc !== "2.0") return;
    if (m.method === "session/request_permission" && m.id !== undefined) {
      this.permission(m.id, record(m.params));
      return;
    }
    if (m.method !== undefined) {
      // A request baton does not serve (fs, terminal: not offered) is refused, not left waiting.
      if (m.id !== undefined)
        this.send({
          jsonrpc: "2.0",
          id: m.id,
          error: { code: -32601, message: `baton does not serve ${String(m.method)}` },
        });
      return;
    }
    if (m.error !== undefined) {
      this.close();
      return;
    }
    const result = record(m.result);
    if (m.id === ID.initialize) this.request(ID.session, "session/new", { cwd: this.cwd, mcpServers: [] });
    else if (m.id === ID.session) {
      this.sessionId = str(result.sessionId);
      if (this.sessionId) this.sendPrompt(this.prompt);
      else this.close();
    } else if (m.id === ID.prompt) this.turnEnded(str(result.stopReason));
  }

  /** The process is gone: nothing more is sent. */
  ended(): void {
    this.closed = true;
    clearTimeout(this.graceTimer);
  }

  private turnEnded(stopReason: string | undefined): void {
    if (
      stopReason === "end_turn" &&
      !this.interrupted &&
      this.untold.length &&
      this.followUps < MAX_FOLLOW_UPS
    ) {
      this.followUps += 1;
      const told = this.untold.splice(0).map((reason) => `- ${reason}`);
      this.sendPrompt(
        [
          "baton refused a tool you asked to use (Gemini CLI reported it to you as canceled by the user):",
          ...told,
          "Go on with the task without it, or say what you need.",
        ].join("\n"),
      );
      return;
    }
    this.close();
  }

  private permission(id: unknown, params: Record<string, unknown>): void {
    const ask = acpPermission(params);
    const answer = (optionId: string | undefined) =>
      this.send({
        jsonrpc: "2.0",
        id,
        result: { outcome: optionId ? { outcome: "selected", optionId } : { outcome: "cancelled" } },
      });
    void this.broker
      .decide({
        tool: ask.tool,
        input: ask.input,
        toolUseId: ask.toolCallId,
        sessionId: this.facts.sessionId ?? this.sessionId,
        turn: (this.facts.turns ?? 0) + 1,
      })
      .then((decision) => {
        if (decision.behavior === "allow") {
          // A request without an allow-once option (0.61 always offers one) is answered cancelled: refused.
          answer(ask.allow);
          return;
        }
        answer(ask.reject);
        if (!decision.interrupt) {
          this.untold.push(`${ask.tool} (${ask.toolCallId}): ${decision.message}`);
          return;
        }
        this.interrupted = true;
        // Stops the turn: Gemini answers the prompt with stopReason "cancelled", and stdin is closed then.
        this.send({ jsonrpc: "2.0", method: "session/cancel", params: { sessionId: this.sessionId } });
        if (!this.graceTimer) this.graceTimer = setTimeout(this.stop, INTERRUPT_GRACE_MS);
      })
      .catch((error: Error) => {
        this.untold.push(`${ask.tool}: baton could not decide: ${error.message}`);
        answer(ask.reject);
      });
  }

  private sendPrompt(text: string): void {
    this.request(ID.prompt, "session/prompt", {
      sessionId: this.sessionId,
      prompt: [{ type: "text", text }],
    });
  }

  private request(id: string, method: string, params: object): void {
    this.send({ jsonrpc: "2.0", id, method, params });
  }

  private send(value: object): void {
    if (this.closed || !this.stdin.writable) return;
    this.stdin.write(`${JSON.stringify(value)}\n`);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stdin.end();
  }
}
