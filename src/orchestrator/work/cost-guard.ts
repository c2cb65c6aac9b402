import { type CapReached, capReached, formatUsd } from "../../domain/cost.js";
import { CAP_CHOICES, type CapChoice, capChoice, capSentence } from "../../services/cost-service.js";
import type { Workspace } from "../../services/workspace.js";
import type { RunFacts } from "../hosts/headless-run.js";

/**
 * Charges a worker's runs to the ledger and enforces the caps. A human's
 * "continue" raises the cap that stopped the work by its own size for this
 * worker (a task capped at $5 may spend $10 after one "continue"), so a cap
 * asks again instead of stopping once and never more.
 */
export class CostGuard {
  private readonly allowance = { task: new Map<string, number>(), agent: 0 };
  private charged = 0;
  private chain: Promise<void> = Promise.resolve();
  private reached: CapReached | null = null;

  constructor(
    private readonly ws: Workspace,
    private readonly host: string,
    private readonly onCap: (cap: CapReached) => void,
  ) {}

  /** A new run starts: its facts are charged from their first turn. */
  begin(): void {
    this.charged = 0;
    this.reached = null;
  }

  /** The cap the current run reached, if one stopped it. */
  get cap(): CapReached | null {
    return this.reached;
  }

  /** Charges the turns the host finished since the last call, in order; stops the run at a cap. */
  charge(task: string, facts: RunFacts): void {
    while (this.charged < facts.turnCosts.length) {
      const turn = facts.turnCosts[this.charged]!;
      const number = ++this.charged;
      this.chain = this.chain.then(async () => {
        const recorded = await this.ws.costs
          .recordReported({ task, host: this.host, session: facts.sessionId, turn: number, ...turn })
          .catch(() => undefined);
        if (!recorded || this.reached) return;
        const cap = this.over(recorded.entry.task, recorded.agent.usd, recorded.task?.usd ?? 0);
        if (cap) {
          this.reached = cap;
          this.onCap(cap);
        }
      });
    }
  }

  /** Waits until every turn charged so far is in the ledger. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Whether the agent or this task is already at a cap, before any money is spent on it. */
  async before(task: string | null): Promise<CapReached | null> {
    const { agentCapUsd, taskCapUsd } = this.ws.config.costs;
    if (agentCapUsd === null && (taskCapUsd === null || task === null)) return null;
    const totals = await this.ws.costs.totals({ agents: [this.ws.identity!], tasks: task ? [task] : [] });
    return this.over(
      task,
      totals.agents[this.ws.identity!]?.usd ?? 0,
      task ? (totals.tasks[task]?.usd ?? 0) : 0,
    );
  }

  /** What the caps leave to spend on this task (the lower of the two), or undefined without caps. */
  async budget(task: string): Promise<number | undefined> {
    const { agentCapUsd, taskCapUsd } = this.ws.config.costs;
    if (agentCapUsd === null && taskCapUsd === null) return undefined;
    const me = this.ws.identity!;
    const totals = await this.ws.costs.totals({ agents: [me], tasks: [task] });
    const left: number[] = [];
    if (taskCapUsd !== null)
      left.push(taskCapUsd + (this.allowance.task.get(task) ?? 0) - (totals.tasks[task]?.usd ?? 0));
    if (agentCapUsd !== null) left.push(agentCapUsd + this.allowance.agent - (totals.agents[me]?.usd ?? 0));
    return Math.max(0, Math.min(...left));
  }

  private over(task: string | null, agentUsd: number, taskUsd: number): CapReached | null {
    return capReached(
      this.ws.config.costs,
      { agent: this.ws.identity!, agentUsd, task, taskUsd },
      { task: task ? (this.allowance.task.get(task) ?? 0) : 0, agent: this.allowance.agent },
    );
  }

  /**
   * Asks the humans whether to go on, holding the task's claim (heartbeats)
   * while nobody has answered: the task is neither lost nor taken by another
   * worker, which would only hit the same cap. Returns the choice, or "stop"
   * when the worker is being stopped.
   */
  async ask(cap: CapReached, task: string | null, signal: AbortSignal): Promise<CapChoice> {
    const { ws } = this;
    const step = cap.kind === "task" ? ws.config.costs.taskCapUsd! : ws.config.costs.agentCapUsd!;
    const question = await ws.human.ask(
      `${capSentence(cap)}. ${ws.identity} has stopped. Continue (allow ${formatUsd(step)} more) or stop?`,
      { options: [...CAP_CHOICES], ...(task ? { task } : {}) },
    );
    await ws.agents.reportActivity("waiting", "baton:cost-cap", `${question.id}: ${capSentence(cap)}`);
    await ws.log.record("work.cap", `${ws.identity} stopped at a cost cap: ${capSentence(cap)}`, {
      ...cap,
      question: question.id,
      ...(task ? { task } : {}),
    });
    const beatMs = Math.max(1000, Math.floor(ws.config.heartbeatIntervalMs / 2));
    while (!signal.aborted) {
      const now = await ws.human.waitForAnswer(question.id, beatMs);
      if (now.status !== "open") {
        const choice = capChoice(now.answer);
        if (choice === "continue") {
          if (cap.kind === "task")
            this.allowance.task.set(cap.subject, (this.allowance.task.get(cap.subject) ?? 0) + step);
          else this.allowance.agent += step;
        }
        return choice;
      }
      await ws.agents.heartbeat(task ? { workingOn: task } : {}).catch(() => undefined);
    }
    return "stop";
  }
}
