import type { CapReached } from "../../domain/cost.js";
import type { Task } from "../../domain/types.js";
import { BatonError } from "../../errors.js";
import { capSentence } from "../../services/cost-service.js";
import type { Workspace } from "../../services/workspace.js";
import { headlessCommand, newRunFacts, type RunFacts } from "../hosts/headless-run.js";
import { AgentProcess } from "./agent-process.js";
import { ClaudeSession } from "./claude-session.js";
import { CostGuard } from "./cost-guard.js";
import { GeminiAcpSession } from "./gemini-acp-session.js";
import { PermissionBroker } from "./permission-broker.js";
import { PiSession } from "./pi-session.js";
import { continuePrompt, taskPrompt } from "./task-prompt.js";

export interface WorkOptions {
  /** `--agent`: a host name or a command line. */
  agent: string;
  queue?: string;
  /** Stop when no task is ready instead of waiting for one (CI). */
  untilEmpty: boolean;
  /** Kill an agent that runs longer than this on one task, and fail the task. */
  timeoutMs?: number;
  signal: AbortSignal;
  say: (line: string) => void;
}

export interface WorkOutcome {
  task: string;
  /** `capped`: a cost cap stopped it and a human chose to stop (an agent's cap also ends the loop). */
  status: "done" | "failed" | "lost" | "left" | "capped";
  exitCode: number | null;
  facts: RunFacts;
  /** The cap that stopped it, when one did. */
  cap?: CapReached;
}

const TAIL_CHARS = 2000;

/**
 * `baton work`: one worker's loop. Claims the next ready task, runs the agent
 * headless on it with the task's prompt, heartbeats while it runs (so the
 * claim lives exactly as long as the process does), then completes the task
 * on exit 0 or fails it with the output's tail. A claim the worker loses (the
 * guardian gave it to another after a stall) stops the agent at once: two
 * agents never work one task. Each run is logged with what the host reported
 * (session, cost, tokens).
 */
export async function workLoop(ws: Workspace, options: WorkOptions): Promise<WorkOutcome[]> {
  const outcomes: WorkOutcome[] = [];
  const me = ws.identity!;
  let stopRun = () => {};
  const guard = new CostGuard(ws, headlessCommand(options.agent, "").host, () => stopRun());
  await ws.agents.join({ automatic: true });
  while (!options.signal.aborted) {
    // An agent at its cap takes nothing more until a human lets it go on.
    const capped = await guard.before(null);
    if (capped && (await askAtCap(ws, guard, capped, null, options)) === "stop") break;
    const { task, token } = await ws.tasks.claim(undefined, { queue: options.queue });
    if (!task) {
      if (options.untilEmpty) break;
      await ws.agents.heartbeat();
      await ws.messages.inbox({ waitMs: 2000 }).catch(() => undefined);
      continue;
    }
    options.say(`${me}: took ${task.id} "${task.title}"`);
    const outcome = await runTask(ws, task, token!, options, guard, (stop) => {
      stopRun = stop;
    });
    outcomes.push(outcome);
    options.say(
      `${me}: ${task.id} ${outcome.status}${outcome.exitCode === null ? "" : ` (exit ${outcome.exitCode})`}`,
    );
    if (outcome.status === "capped" && outcome.cap?.kind === "agent") break;
  }
  await ws.agents.leave();
  return outcomes;
}

async function askAtCap(
  ws: Workspace,
  guard: CostGuard,
  cap: CapReached,
  task: string | null,
  options: WorkOptions,
): Promise<"continue" | "stop"> {
  options.say(`${ws.identity}: ${capSentence(cap)}; asking a human (baton questions)`);
  const choice = await guard.ask(cap, task, options.signal);
  options.say(`${ws.identity}: told to ${choice}`);
  return choice;
}

/**
 * One task, run until it is settled. A cost cap stops the agent mid-run; the
 * claim is held while a human is asked, and "continue" runs the agent again
 * in the same session where the host can resume one (it picks up where it
 * stopped), with a short prompt instead of the whole task.
 */
async function runTask(
  ws: Workspace,
  task: Task,
  token: number,
  options: WorkOptions,
  guard: CostGuard,
  onStop: (stop: () => void) => void,
): Promise<WorkOutcome> {
  let prompt = taskPrompt(task, ws.identity!);
  let resume: string | undefined;
  for (;;) {
    const before = await guard.before(task.id);
    if (before && (await askAtCap(ws, guard, before, task.id, options)) === "stop")
      return stopAtCap(ws, task, token, before, newRunFacts());
    if (options.signal.aborted) {
      await ws.tasks.release(task.id, { token }).catch(() => undefined);
      return { task: task.id, status: "left", exitCode: null, facts: newRunFacts() };
    }
    guard.begin();
    const run = await runOnce(ws, task, token, options, guard, prompt, resume, onStop);
    // Only a run a cap cut short asks: one that finished its task well is settled, and the
    // agent's cap is then checked before its next claim.
    const cut = run.capStopped || run.facts.budgetReached === true;
    const cap = cut ? (guard.cap ?? (await guard.before(task.id))) : null;
    if (!cap || run.lost || options.signal.aborted) return settle(ws, task, token, options, run);
    if ((await askAtCap(ws, guard, cap, task.id, options)) === "stop")
      return stopAtCap(ws, task, token, cap, run.facts);
    resume = run.facts.sessionId;
    prompt = resume ? continuePrompt(task) : taskPrompt(task, ws.identity!);
  }
}

interface Run {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
  output: string;
  facts: RunFacts;
  lost: boolean;
  timedOut: boolean;
  /** baton stopped it because a finished turn reached a cost cap. */
  capStopped: boolean;
  broker: PermissionBroker;
}

async function runOnce(
  ws: Workspace,
  task: Task,
  token: number,
  options: WorkOptions,
  guard: CostGuard,
  prompt: string,
  resume: string | undefined,
  onStop: (stop: () => void) => void,
): Promise<Run> {
  const budgetUsd = await guard.budget(task.id);
  const command = headlessCommand(options.agent, prompt, { resume, budgetUsd });
  const facts = newRunFacts();
  await ws.agents.reportActivity("working", `${command.host}:run`, task.id);
  let lost = false;
  let session: ClaudeSession | GeminiAcpSession | PiSession | undefined;
  const agent = new AgentProcess(command.argv, {
    cwd: ws.paths.cwd,
    env: {
      ...process.env,
      BATON_AGENT: ws.identity!,
      BATON_TASK_ID: task.id,
      BATON_TASK_TOKEN: String(token),
      BATON_TASK_PROMPT: prompt,
    },
    tailChars: TAIL_CHARS,
    onLine: (line) => {
      command.read(line, facts);
      guard.charge(task.id, facts);
      session?.line(line);
    },
  });
  // pi is asked to abort before it is signalled (pi-session.ts); any other agent is signalled.
  const pi = command.prompt === "rpc" ? new PiSession(agent.child.stdin, () => agent.stop()) : undefined;
  const stop = () => (pi ? pi.stop() : agent.stop());
  let running = true;
  let capStopped = false;
  onStop(() => {
    if (!running) return;
    capStopped = true;
    stop();
  });
  // Claude Code and Gemini CLI ask permission over stdin/stdout; the broker answers from the config or a human.
  const broker = new PermissionBroker(ws, { host: command.host, task: task.id });
  session =
    command.prompt === "stream-json"
      ? new ClaudeSession(agent.child.stdin, broker, facts, stop)
      : command.prompt === "acp"
        ? new GeminiAcpSession(agent.child.stdin, broker, facts, ws.paths.cwd, stop)
        : pi;
  if (session) session.start(prompt);
  else agent.child.stdin.end(command.prompt === "stdin" ? prompt : "");
  options.signal.addEventListener("abort", stop, { once: true });
  const beat = setInterval(
    () => {
      ws.agents
        .heartbeat({ workingOn: task.id })
        .then((result) => {
          // Lost, not merely absent: an agent that completed the task itself through baton holds it no more.
          if (result.lost.some((l) => l.kind === "task" && l.subject === task.id)) {
            lost = true;
            stop();
          }
        })
        .catch(() => undefined);
    },
    Math.max(1000, Math.floor(ws.config.heartbeatIntervalMs / 2)),
  );
  let timedOut = false;
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs)
    : undefined;
  const ended = await agent.exited;
  running = false;
  clearInterval(beat);
  clearTimeout(timer);
  onStop(() => {});
  options.signal.removeEventListener("abort", stop);
  session?.ended();
  const output = agent.tail();
  // Approvals still open belong to a run that is over: expire them before the task is settled.
  await broker.end();
  await guard.settled();
  const exitCode = ended.code;
  await ws.agents.reportActivity("idle", `${command.host}:exit`, `${task.id}: exit ${exitCode ?? "none"}`);
  const { turnCosts: _ledger, ...reported } = facts;
  await ws.log.record(
    "work.run",
    `${ws.identity} ran ${command.host} on ${task.id}: exit ${exitCode ?? "none"}`,
    {
      task: task.id,
      host: command.host,
      exitCode,
      ...reported,
      ...(resume ? { resumed: resume } : {}),
      ...(broker.approvals.length ? { approvals: broker.approvals } : {}),
      ...(broker.timedOut ? { stoppedBy: broker.timedOut } : {}),
      ...(guard.cap ? { cap: guard.cap } : {}),
    },
  );
  return {
    exitCode,
    signal: ended.signal,
    ...(ended.error ? { error: ended.error } : {}),
    output,
    facts,
    lost,
    timedOut,
    capStopped,
    broker,
  };
}

/** Done on exit 0, failed otherwise with why and the output's tail; a lost claim or a stop settles nothing. */
async function settle(
  ws: Workspace,
  task: Task,
  token: number,
  options: WorkOptions,
  run: Run,
): Promise<WorkOutcome> {
  const { exitCode, facts, output, broker } = run;
  if (run.error)
    return finish(
      ws,
      task,
      token,
      { failed: `could not start ${headlessCommand(options.agent, "").argv[0]}: ${run.error.message}` },
      exitCode,
      facts,
    );
  if (run.lost) return { task: task.id, status: "lost", exitCode, facts };
  if (options.signal.aborted) {
    await ws.tasks.release(task.id, { token }).catch(() => undefined);
    return { task: task.id, status: "left", exitCode, facts };
  }
  // A run baton stopped is not done, even when the host ended itself cleanly (pi after an abort).
  const stopped = run.timedOut || broker.timedOut !== undefined;
  if (exitCode === 0 && !facts.failed && !stopped)
    return finish(
      ws,
      task,
      token,
      { done: (facts.lastText ?? output).trim().slice(-TAIL_CHARS) },
      exitCode,
      facts,
    );
  const why = broker.timedOut
    ? `was stopped: ${broker.timedOut} (nobody decided its permission request in time)`
    : run.timedOut
      ? `was stopped after --timeout ${Math.round(options.timeoutMs! / 1000)}s`
      : exitCode === null
        ? `was ended by ${run.signal ?? "a signal"}`
        : `exited ${exitCode}${facts.failed ? " (the host reported an error)" : ""}`;
  // The host's own words for what went wrong say more than the tail of its JSON output.
  const detail = (facts.error ?? output).trim();
  return finish(
    ws,
    task,
    token,
    // The reason's limit is TAIL_CHARS in all: the tail gives up what the explanation takes.
    { failed: `the agent ${why}: ${detail.slice(-(TAIL_CHARS - why.length - 20)) || "no output"}` },
    exitCode,
    facts,
  );
}

/**
 * A human chose to stop at a cap. The task's own cap fails the task (the
 * reason names the cap; its attempt is counted); the agent's cap is no fault
 * of the task, so it goes back to the queue for another agent.
 */
async function stopAtCap(
  ws: Workspace,
  task: Task,
  token: number,
  cap: CapReached,
  facts: RunFacts,
): Promise<WorkOutcome> {
  if (cap.kind === "agent") {
    await ws.tasks.release(task.id, { token }).catch(() => undefined);
    return { task: task.id, status: "capped", exitCode: null, facts, cap };
  }
  const outcome = await finish(
    ws,
    task,
    token,
    { failed: `stopped at a cost cap: ${capSentence(cap)}` },
    null,
    facts,
  );
  return outcome.status === "failed" ? { ...outcome, status: "capped", cap } : outcome;
}

/** Completes or fails the task, unless the agent did so itself through baton (then its word stands). */
async function finish(
  ws: Workspace,
  task: Task,
  token: number,
  end: { done: string } | { failed: string },
  exitCode: number | null,
  facts: RunFacts,
): Promise<WorkOutcome> {
  const now = await ws.tasks.show(task.id);
  if (now.status !== "claimed" || now.holder !== ws.identity) {
    const status = now.status === "done" ? "done" : "failed";
    return { task: task.id, status, exitCode, facts };
  }
  try {
    if ("done" in end) {
      await ws.tasks.done(task.id, { token, result: end.done || "the agent exited 0" });
      return { task: task.id, status: "done", exitCode, facts };
    }
    await ws.tasks.fail(task.id, end.failed, { token });
    return { task: task.id, status: "failed", exitCode, facts };
  } catch (error) {
    if (error instanceof BatonError && error.code === "lease_lost")
      return { task: task.id, status: "lost", exitCode, facts };
    throw error;
  }
}
