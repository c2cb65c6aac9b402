import type { PermissionView } from "./permission-view.js";
import type { ApprovalKind, TaskStatus } from "./types.js";

/**
 * One thing that waits for a person, with what the person needs to act on it
 * from a phone: the question's options, the approval's plan or command, the
 * task by title, and whether anything still waits for it.
 */
export interface InboxItem {
  kind: "question" | "approval" | "escalation" | "message";
  /** `Q-3`, `A-2`, `E-1`, `M-7`. */
  id: string;
  from: string;
  task: { id: string; title: string; status: TaskStatus } | null;
  at: number;
  text: string;
  urgent: boolean;
  /** A question's answers to pick from (free text is always allowed). */
  options?: string[] | null;
  /** An approval's plan, or a permission prompt's command or diff. */
  plan?: string | null;
  approvalKind?: ApprovalKind;
  /** A host's permission prompt: the tool, the command or file, and an edit's diff. */
  permission?: PermissionView;
  /** When an approval stops waiting for a decision, if it ever does. */
  expiresAt?: number | null;
  /** `expired`: nothing waits for it any more (the run that asked ended, its task was cancelled): it cannot be acted on. */
  state: "open" | "expired";
  /** Why it expired. */
  why?: string;
}

export interface HumanInbox {
  /** Urgent first, then the longest waiting. */
  items: InboxItem[];
  /** What expired unanswered lately (the last day), newest first: the human sees what they missed, and why. */
  missed: InboxItem[];
}
