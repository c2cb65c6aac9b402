/**
 * A JSON-RPC error a handler throws: the SDK answers with its `code`, `message`
 * and `data` as they are. Its own McpError would put "MCP error -32602: " in
 * front of the message the client shows.
 */
export class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "ProtocolError";
  }
}
