import { type CapReached, capReached } from "../domain/cost.js";
import { CAP_CHOICES, capChoice, capSentence, type RecordedCost } from "../services/cost-service.js";
import type { Workspace } from "../services/workspace.js";
import { lastTurnUsage } from "./transcript-usage.js";

/** The words every cap question carries, by which a later stop finds the humans' earlier answers. */
const text = (v: unknown) => (typeof v === "string" ? v : null);

const capKey = (cap: Pick<CapReached, "kind">) => `(costs.${cap.kind}_cap_usd)`;

/**
 * What humans allowed on top of the caps for this agent (and task): one more
 * cap's worth per "continue" they answered to its cap questions. Kept in the
 * questions themselves, so a hook process, which lives for one event, needs no
 * state of its own.
 */
async function allowance(ws: Workspace, task: string | null): Promise<{ task: number; agent: number }> {
  const { taskCapUsd, agentCapUsd } = ws.config.costs;
  const mine = (await ws.human.questions()).filter(
    (q) => q.askedBy === ws.identity && q.answer !== null && capChoice(q.answer) === "continue",
  );
  const count = (kind: CapReached["kind"]) =>
    mine.filter((q) => q.text.includes(capKey({ kind })) && (kind === "agent" || q.task === task)).length;
  return { task: count("task") * (taskCapUsd ?? 0), agent: count("agent") * (agentCapUsd ?? 0) };
}

/**
 * An interactive Claude Code turn ended: its tokens (from the transcript, by
 * model) go to the ledger, priced from the table, charged to the task the
 * agent holds. At a cap the agent is shown waiting (so baton types no new work
 * into it) and a human is asked, once per cap: an open cap question is not
 * asked again. Returns the cap reached, if any.
 */
export async function chargeInteractiveTurn(
  ws: Workspace,
  host: string,
  input: Record<string, unknown>,
  task: string | null,
): Promise<CapReached | null> {
  if (typeof input.transcript_path !== "string") return null;
  const usage = lastTurnUsage(input.transcript_path);
  let last: RecordedCost | undefined;
  // Each model's tokens on their own: one the ledger cannot take must not lose the others.
  for (const { model, tokens } of usage)
    last =
      (await ws.costs
        .recordReported({ task, host, model, tokens, session: text(input.session_id) })
        .catch(() => undefined)) ?? last;
  // Without caps there is nothing to check: no reading of every question on each turn's end.
  if (!last || (ws.config.costs.taskCapUsd === null && ws.config.costs.agentCapUsd === null)) return null;
  const cap = capReached(
    ws.config.costs,
    { agent: ws.identity!, agentUsd: last.agent.usd, task, taskUsd: last.task?.usd ?? 0 },
    await allowance(ws, task),
  );
  if (!cap) return null;
  const open = (await ws.human.questions({ open: true })).find(
    (q) => q.askedBy === ws.identity && q.text.includes(capKey(cap)),
  );
  const question =
    open ??
    (await ws.human.ask(
      `${capSentence(cap)}. ${ws.identity}'s turn has ended and baton gives it no new work. Continue (one more cap's worth) or stop?`,
      { options: [...CAP_CHOICES], ...(task ? { task } : {}) },
    ));
  await ws.agents.reportActivity("waiting", "baton:cost-cap", `${question.id}: ${capSentence(cap)}`);
  return cap;
}
