import type { AgentKind, AgentView, Lease, Task } from "../domain/types.js";
import type { AgentService } from "./agent-service.js";
import type { ServiceContext } from "./service-context.js";
import { unreadNotices } from "./unread-notices.js";

/** Something that waits for a person: what it is, from whom, about which task, since when. */
export interface WaitingItem {
  kind: "question" | "approval" | "escalation" | "message";
  /** `Q-3`, `A-2`, `E-1`, `M-7`: the id the command that acts on it takes. */
  id: string;
  from: string;
  task: string | null;
  at: number;
  text: string;
  urgent: boolean;
}

export interface TeamStatus {
  at: number;
  /** Who asked, when baton knows them. */
  you: { name: string; kind: AgentKind } | null;
  agents: AgentView[];
  tasks: {
    open: number;
    /** Open, every dependency done: what an agent could take now. */
    ready: number;
    claimed: Task[];
    overdue: Task[];
    /** Open but not ready for the caller: waiting on a dependency, reserved for another agent or role. */
    waiting: number;
    /** Open, but a dependency failed, was cancelled or died: only a human can unblock them. */
    blocked: Task[];
  };
  leases: Lease[];
  /**
   * For a human, or someone baton does not know yet: every open question,
   * approval and escalation, and their own unread messages. For an agent, only
   * its own unread messages. Urgent first, then oldest first.
   */
  waiting: WaitingItem[];
}

/** Urgent first, then the longest waiting. */
function mostUrgentFirst(a: WaitingItem, b: WaitingItem): number {
  return Number(b.urgent) - Number(a.urgent) || a.at - b.at;
}

/** The team at a glance: one read of everything `baton status` and, later, the web app's home show. */
export class StatusService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly agents: AgentService,
  ) {}

  /** What waits for the caller besides messages, when the caller is a human; null for an agent or a stranger. */
  async humanWaiting(): Promise<WaitingItem[] | null> {
    if ((await this.agents.me())?.kind !== "human") return null;
    return (await this.forHumans()).sort(mostUrgentFirst);
  }

  /** Every open question, approval and escalation: they wait for whichever human acts first. */
  private async forHumans(): Promise<WaitingItem[]> {
    const { store } = this.ctx;
    const [questions, approvals, escalations] = await Promise.all([
      store.listQuestions({ open: true }),
      store.listApprovals({ open: true }),
      store.listEscalations({ open: true }),
    ]);
    const item = (
      kind: WaitingItem["kind"],
      id: string,
      from: string,
      task: string | null,
      at: number,
      text: string,
      urgent = false,
    ): WaitingItem => ({ kind, id, from, task, at, text, urgent });
    return [
      ...questions.map((q) => item("question", q.id, q.askedBy, q.task, q.askedAt, q.text)),
      ...approvals.map((a) => item("approval", a.id, a.requestedBy, a.task, a.requestedAt, a.action)),
      ...escalations.map((e) => item("escalation", e.id, e.by, e.task, e.at, e.reason, true)),
    ];
  }

  async snapshot(): Promise<TeamStatus> {
    const { store } = this.ctx;
    const at = this.ctx.clock.now();
    const name = this.ctx.whoami();
    const [agents, tasks, ready, leases] = await Promise.all([
      this.agents.list(),
      store.listTasks({ status: ["open", "claimed"] }),
      store.listTasks({ ready: true, readyFor: name }),
      store.listLeases({}),
    ]);
    const known = agents.find((a) => a.name === name);
    const you = known ? { name: known.name, kind: known.kind } : null;
    const forHuman = !you || you.kind === "human";
    const waiting: WaitingItem[] = forHuman ? await this.forHumans() : [];
    if (you) {
      // Other notices to humans (a task blocked) are shown as messages.
      for (const m of await unreadNotices(store, you.name, 50)) {
        waiting.push({
          kind: "message",
          id: m.id,
          from: m.sender,
          task: null,
          at: m.at,
          text: m.body,
          urgent: m.urgent,
        });
      }
    }
    waiting.sort(mostUrgentFirst);
    const open = tasks.filter((t) => t.status === "open");
    return {
      at,
      you,
      agents,
      tasks: {
        open: open.length,
        ready: ready.length,
        waiting: open.length - ready.length,
        blocked: open.filter((t) => t.blockedBy.length > 0),
        claimed: tasks.filter((t) => t.status === "claimed"),
        overdue: tasks.filter((t) => t.dueAt !== null && t.dueAt < at),
      },
      leases,
      waiting,
    };
  }
}
