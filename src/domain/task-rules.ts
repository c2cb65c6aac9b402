import { BatonError } from "../errors.js";
import { FINAL_STATUSES, type TaskStatus } from "./types.js";

export const MAX_TITLE_LENGTH = 200;
export const MAX_BODY_LENGTH = 64 * 1024;
const TAG = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/;

export function validateTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed) {
    throw new BatonError("invalid_input", "a task needs a title", {
      cli: 'write one: baton task add "Fix the login redirect"',
      tool: 'give a title, e.g. "Fix the login redirect"',
    });
  }
  if (trimmed.length > MAX_TITLE_LENGTH) {
    throw new BatonError(
      "invalid_input",
      `the title is ${trimmed.length} characters; the limit is ${MAX_TITLE_LENGTH}`,
      {
        cli: "keep the title short and put the detail in --body",
        tool: "keep the title short and put the detail in body",
      },
    );
  }
  return trimmed;
}

export function validateBody(body: string): string {
  if (body.length > MAX_BODY_LENGTH) {
    throw new BatonError(
      "invalid_input",
      `the body is ${body.length} characters; the limit is ${MAX_BODY_LENGTH}`,
      "link to a file in the repository instead of pasting it",
    );
  }
  return body;
}

export function validatePriority(value: number | string): number {
  const priority = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(priority) || priority < 0 || priority > 3) {
    throw new BatonError("invalid_input", `bad priority '${value}'`, "use 0 (highest), 1, 2 or 3 (lowest)");
  }
  return priority;
}

export function validateTags(tags: readonly string[]): string[] {
  const clean = [...new Set(tags.map((tag) => tag.trim()).filter(Boolean))];
  for (const tag of clean) {
    if (!TAG.test(tag)) {
      throw new BatonError(
        "invalid_input",
        `bad tag '${tag}'`,
        "tags are up to 64 letters, digits and _ . : / -, starting with a letter or digit",
      );
    }
  }
  return clean;
}

const TASK_ID = /^([A-Za-z][A-Za-z0-9]*)-(\d+)$/;

/** Normalises a task id as typed (`t-3` → `T-3`), refusing what cannot be one. */
export function parseTaskId(text: string): string {
  const match = TASK_ID.exec(text.trim());
  if (!match) {
    throw new BatonError("invalid_input", `'${text}' is not a task id`, "task ids look like T-12 or REQ-3");
  }
  return `${match[1]!.toUpperCase()}-${Number(match[2])}`;
}

export function formatTaskId(prefix: string, number: number): string {
  return `${prefix}-${number}`;
}

export function isFinal(status: TaskStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/**
 * Where a claim that ended without completion sends the task: back to the
 * queue while attempts remain, otherwise to `whenExhausted` (`failed` for an
 * explicit failure, `dead` for a holder that went silent).
 */
export function statusAfterLostAttempt(
  attempts: number,
  maxAttempts: number,
  whenExhausted: "failed" | "dead",
): TaskStatus {
  return attempts >= maxAttempts ? whenExhausted : "open";
}
