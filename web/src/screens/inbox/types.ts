/** One thing waiting for the human, as GET /api/v1/inbox gives it (src/services/inbox-service.ts). */
export interface InboxItem {
  kind: "question" | "approval" | "escalation" | "message";
  id: string;
  from: string;
  task: { id: string; title: string; status: string } | null;
  at: number;
  text: string;
  urgent: boolean;
  options?: string[] | null;
  plan?: string | null;
  approvalKind?: "request" | "permission";
  permission?: { tool: string; subject: string; diff?: string };
  expiresAt?: number | null;
  state: "open" | "expired";
  why?: string;
}

export interface Inbox {
  items: InboxItem[];
  missed: InboxItem[];
}
