import { BatonError, clip } from "../errors.js";
import { checkText, type TextKind } from "./limits.js";

const CHANNEL = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const MESSAGE_ID = /^M-(\d+)$/i;

/**
 * A message, a question or an answer: required text within its limit (the
 * message's unless another kind is named, e.g. an approval's action).
 */
export function validateMessageBody(text: string, kind: TextKind = "message"): string {
  const body = checkText(kind, text);
  if (!body)
    throw new BatonError("invalid_input", "an empty message", {
      cli: 'write something: baton send bob "T-3 is ready for review"',
      tool: "write something: the text was empty",
    });
  return body;
}

/** `#general` or `general` → `general`. */
export function parseChannelName(text: string): string {
  const name = String(text).trim().replace(/^#/, "").toLowerCase();
  if (!CHANNEL.test(name)) {
    throw new BatonError(
      "invalid_input",
      `'${clip(text)}' is not a channel name`,
      "channel names are up to 40 lowercase letters, digits, _ and -, written with or without # (e.g. #backend)",
    );
  }
  return name;
}

export function parseMessageId(text: string): number {
  const match = MESSAGE_ID.exec(String(text).trim());
  if (!match || !Number.isSafeInteger(Number(match[1])))
    throw new BatonError("invalid_input", `'${clip(text)}' is not a message id`, {
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
