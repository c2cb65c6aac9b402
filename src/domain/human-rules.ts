import { BatonError, clip } from "../errors.js";
import { checkCount, checkText } from "./limits.js";

const PREFIXED = {
  Q: { what: "question", article: "a", from: "as chat_with_human returned it" },
  A: { what: "approval", article: "an", from: "as request_approval returned it" },
  E: { what: "escalation", article: "an", from: "as the list of escalations shows it" },
} as const;

/** Ids of questions (`Q-7`), approvals (`A-3`) and escalations (`E-2`). */
export function parsePrefixedId(text: string, prefix: keyof typeof PREFIXED): number {
  const match = new RegExp(`^${prefix}-(\\d+)$`, "i").exec(String(text).trim());
  if (!match || !Number.isSafeInteger(Number(match[1]))) {
    const { what, article, from } = PREFIXED[prefix];
    throw new BatonError("invalid_input", `'${clip(text)}' is not ${article} ${what} id`, {
      cli: `${what} ids look like ${prefix}-3 (see baton ${what}s)`,
      tool: `${what} ids look like ${prefix}-3, ${from}`,
    });
  }
  return Number(match[1]);
}

export function validateOptions(options: readonly string[]): string[] | null {
  const clean = checkCount("options", options)
    .map((option) => checkText("option", option))
    .filter(Boolean);
  if (clean.length === 0) return null;
  if (clean.length === 1) {
    throw new BatonError("invalid_input", "a question with options needs at least two", {
      cli: 'give a choice: --options "yes,no"',
      tool: 'give at least two options, e.g. ["yes", "no"]',
    });
  }
  if (new Set(clean).size !== clean.length)
    throw new BatonError("invalid_input", "the options repeat", "list each option once");
  return clean;
}

/**
 * An answer to a question with options may name an option by its number
 * (`2`) or its text in any case; anything else is kept as free text.
 */
export function normaliseAnswer(answer: string, options: string[] | null): string {
  const text = checkText("message", answer);
  if (!text)
    throw new BatonError("invalid_input", "an empty answer", {
      cli: 'write it: baton answer Q-3 "use the v2 API"',
      tool: "write the answer",
    });
  if (!options) return text;
  const index = Number(text);
  if (Number.isInteger(index) && index >= 1 && index <= options.length) return options[index - 1]!;
  return options.find((option) => option.toLowerCase() === text.toLowerCase()) ?? text;
}

/** Wake-up topics: new questions and approvals (a human's view), and each one's answer or decision. */
export const QUESTIONS_TOPIC = "questions";
export const APPROVALS_TOPIC = "approvals";

export function questionTopic(seq: number): string {
  return `question:${seq}`;
}

export function approvalTopic(seq: number): string {
  return `approval:${seq}`;
}
