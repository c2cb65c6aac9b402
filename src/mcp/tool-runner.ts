import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { failure, ok } from "./result.js";
import type { McpSession } from "./session.js";

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;
export type ToolRunner = <I>(
  body: (input: I, extra: ToolExtra) => Promise<unknown>,
) => (input: I, extra: ToolExtra) => Promise<CallToolResult>;

/** Every tool call: a heartbeat first, then the body; any failure becomes a tool error with its hint. */
export function toolRunner(session: McpSession): ToolRunner {
  return (body) => async (input, extra) => {
    try {
      await session.beat();
      return ok(await body(input, extra));
    } catch (error) {
      return failure(error);
    }
  };
}

/** Sends a progress notification if the client asked for them (it gave a progress token). */
export async function progress(extra: ToolExtra, done: number, message: string): Promise<void> {
  const token = extra._meta?.progressToken;
  if (token === undefined) return;
  await extra.sendNotification({
    method: "notifications/progress",
    params: { progressToken: token, progress: done, message },
  });
}
