import { lineDiff } from "../hosts/line-diff.js";
import { permissionSubject } from "./permission-rules.js";

/** What a host's permission prompt asks to do, for a person deciding from a phone. */
export interface PermissionView {
  tool: string;
  /** The command, file, URL or pattern the tool is asked for. */
  subject: string;
  /** For an edit or write: the change, as lines marked `+ `, `- ` or `  `. */
  diff?: string;
}

/** Edits larger than this are shown as their plan text, not diffed (the diff is quadratic in lines). */
const MAX_DIFF_LINES = 400;

/**
 * Reads the tool and its input back from a permission approval's plan (the
 * broker writes `tool: NAME` and `input: JSON` lines): the command in view for
 * a shell tool, the diff for an edit. Undefined when the plan is not one the
 * broker wrote, or its input was clipped.
 */
export function permissionView(plan: string | null): PermissionView | undefined {
  if (!plan) return undefined;
  const tool = /^tool: (.+)$/m.exec(plan)?.[1]?.trim();
  const at = plan.search(/^input: /m);
  if (!tool || at < 0) return undefined;
  const end = plan.indexOf("\n\n", at);
  let input: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(plan.slice(at + "input: ".length, end < 0 ? undefined : end));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    input = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const view: PermissionView = { tool, subject: permissionSubject(input) };
  const text = (key: string) => (typeof input[key] === "string" ? (input[key] as string) : undefined);
  const before = text("old_string") ?? "";
  const after = text("new_string") ?? text("content");
  if (after !== undefined) {
    const lines = before.split("\n").length + after.split("\n").length;
    if (lines <= MAX_DIFF_LINES) view.diff = lineDiff(before, after);
  }
  return view;
}
