import { BatonError } from "../errors.js";

/** The stated limit on a message body; longer text belongs in a file in the repository. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
const CHANNEL = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const MESSAGE_ID = /^M-(\d+)$/i;

export function validateMessageBody(text: string): string {
  const body = text.trim();
  if (!body)
    throw new BatonError("invalid_input", "an empty message", {
      cli: 'write something: baton send bob "T-3 is ready for review"',
      tool: "write something: the text was empty",
    });
  const bytes = Buffer.byteLength(body);
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new BatonError(
      "invalid_input",
      `the message is ${bytes} bytes; the limit is ${MAX_MESSAGE_BYTES}`,
      "put long text in a file in the repository and send its path",
    );
  }
  return body;
}

/** `#general` or `general` → `general`. */
export function parseChannelName(text: string): string {
  const name = text.trim().replace(/^#/, "").toLowerCase();
  if (!CHANNEL.test(name)) {
    throw new BatonError(
      "invalid_input",
      `'${text}' is not a channel name`,
      "channel names are up to 40 lowercase letters, digits, _ and -, written with or without # (e.g. #backend)",
    );
  }
  return name;
}

export function parseMessageId(text: string): number {
  const match = MESSAGE_ID.exec(text.trim());
  if (!match)
    throw new BatonError("invalid_input", `'${text}' is not a message id`, {
      cli: "message ids look like M-12 (see baton inbox --all)",
      tool: "message ids look like M-12, as get_messages returns them",
    });
  return Number(match[1]);
}

export function formatMessageId(seq: number): string {
  return `M-${seq}`;
}

/** Wake-up topic of an agent's inbox. */
export function inboxTopic(agent: string): string {
  return `inbox:${agent}`;
}

/** Wake-up topic of a channel. */
export function channelTopic(channel: string): string {
  return `#${channel}`;
}
