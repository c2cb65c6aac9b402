import type { IncomingMessage } from "node:http";
import { BatonError, clip } from "../../errors.js";

/** The body a request must have been sent with: a JSON object, or nothing at all. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

function isJson(req: IncomingMessage): boolean {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json";
}

export function tooLarge(limitBytes: number): BatonError {
  return new BatonError(
    "too_large",
    `the request body is over the server's limit of ${limitBytes} bytes`,
    "send less: long texts belong in a file in the repository, named by its path",
    { limitBytes },
  );
}

/**
 * Reads a JSON body of at most `limitBytes`, or undefined when none was sent.
 * A declared length over the limit is refused before a byte is read, and a
 * streamed body as soon as it passes it: a client cannot make the server hold
 * more than the limit, whatever it sends.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  if (!hasBody(req)) return undefined;
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limitBytes) throw tooLarge(limitBytes);
  if (!isJson(req)) {
    throw new BatonError(
      "unsupported_media_type",
      `the body must be JSON, not '${clip(req.headers["content-type"] ?? "(no Content-Type)")}'`,
      "send Content-Type: application/json with a JSON object",
    );
  }
  const raw = await readAtMost(req, limitBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new BatonError("invalid_input", "the body is not valid UTF-8", "send JSON encoded as UTF-8");
  }
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BatonError(
      "invalid_input",
      `the body is not JSON: ${clip((error as Error).message, 120)}`,
      'send one JSON object, e.g. {"title": "Fix the login"}',
    );
  }
}

/**
 * Collects the body until it passes `limitBytes`, then stops reading (the
 * stream is paused, not destroyed: the socket must stay up to carry the 413;
 * the answer says Connection: close, and the rest is never read).
 */
function readAtMost(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        stop();
        req.pause();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(new BatonError("connection_lost", `the request broke off: ${error.message}`, "send it again"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
