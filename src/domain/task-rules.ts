import { BatonError, clip } from "../errors.js";
import { checkCount, checkLength, checkText, checkWhole } from "./limits.js";
import { FINAL_STATUSES, type TaskStatus } from "./types.js";

const TAG = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/;

export function validateTitle(title: string): string {
  const trimmed = checkText("title", title);
  if (!trimmed) {
    throw new BatonError("invalid_input", "a task needs a title", {
      cli: 'write one: baton task add "Fix the login redirect"',
      tool: 'give a title, e.g. "Fix the login redirect"',
    });
  }
  return trimmed;
}

/** A task's body, kept as written (its indentation may matter), within its limit. */
export function validateBody(body: string): string {
  // Measured as it is stored: ten megabytes of spaces are ten megabytes.
  return checkLength("body", body);
}

export function validatePriority(value: number | string): number {
  return checkWhole("priority", value);
}

export function validateTags(tags: readonly string[]): string[] {
  checkCount("tags", tags);
  const clean = [...new Set(tags.map((tag) => String(tag).trim()).filter(Boolean))];
  for (const tag of clean) {
    if (!TAG.test(tag)) {
      throw new BatonError(
        "invalid_input",
        `bad tag '${clip(tag)}'`,
        "tags are up to 64 letters, digits and _ . : / -, starting with a letter or digit",
      );
    }
  }
  return clean;
}

const TASK_ID = /^([A-Za-z][A-Za-z0-9]*)-(\d+)$/;

/** Whether text has a task id's shape (T-12, req-3), for commands that take a task or something else. */
export function looksLikeTaskId(text: string): boolean {
  return text.length <= 32 && TASK_ID.test(text.trim());
}

/** Normalises a task id as typed (`t-3` → `T-3`), refusing what cannot be one. */
export function parseTaskId(text: string): string {
  const match = typeof text === "string" && text.length <= 32 ? TASK_ID.exec(text.trim()) : null;
  if (!match) {
    throw new BatonError(
      "invalid_input",
      `'${clip(text)}' is not a task id`,
      "task ids look like T-12 or REQ-3",
    );
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
