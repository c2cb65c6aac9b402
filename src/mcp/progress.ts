import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";

/** What a tool call gets besides its arguments: the request's metadata and a way to notify the client. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Sends a progress notification if the client asked for them (it gave a progress token). */
export async function progress(extra: ToolExtra, done: number, message: string): Promise<void> {
  const token = extra._meta?.progressToken;
  if (token === undefined) return;
  await extra.sendNotification({
    method: "notifications/progress",
    params: { progressToken: token, progress: done, message },
  });
}
