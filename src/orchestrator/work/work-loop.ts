import type { Task } from "../../domain/types.js";
import { BatonError } from "../../errors.js";
import type { Workspace } from "../../services/workspace.js";
import { headlessCommand, type RunFacts } from "../hosts/headless-run.js";
import { AgentProcess } from "./agent-process.js";
import { ClaudeSession } from "./claude-session.js";
import { PermissionBroker } from "./permission-broker.js";
import { taskPrompt } from "./task-prompt.js";

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
  status: "done" | "failed" | "lost" | "left";
  exitCode: number | null;
  facts: RunFacts;
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
  await ws.agents.join({ automatic: true });
  while (!options.signal.aborted) {
    const { task, token } = await ws.tasks.claim(undefined, { queue: options.queue });
    if (!task) {
      if (options.untilEmpty) break;
      await ws.agents.heartbeat();
      await ws.messages.inbox({ waitMs: 2000 }).catch(() => undefined);
      continue;
    }
    options.say(`${me}: took ${task.id} "${task.title}"`);
    const outcome = await runOne(ws, task, token!, options);
    outcomes.push(outcome);
    options.say(
      `${me}: ${task.id} ${outcome.status}${outcome.exitCode === null ? "" : ` (exit ${outcome.exitCode})`}`,
    );
  }
  await ws.agents.leave();
  return outcomes;
}

async function runOne(ws: Workspace, task: Task, token: number, options: WorkOptions): Promise<WorkOutcome> {
  const prompt = taskPrompt(task, ws.identity!);
  const command = headlessCommand(options.agent, prompt);
  const facts: RunFacts = {};
  await ws.agents.reportActivity("working", `${command.host}:run`, task.id);
  let lost = false;
  let session: ClaudeSession | undefined;
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
      session?.line(line);
    },
  });
  const stop = () => agent.stop();
  // Claude Code asks permission over stdin/stdout; the broker answers from the config or a human.
  const broker = new PermissionBroker(ws, { host: command.host, task: task.id });
  session =
    command.prompt === "stream-json" ? new ClaudeSession(agent.child.stdin, broker, facts, stop) : undefined;
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
  clearInterval(beat);
  clearTimeout(timer);
  options.signal.removeEventListener("abort", stop);
  session?.ended();
  const output = agent.tail();
  // Approvals still open belong to a run that is over: expire them before the task is settled.
  await broker.end();
  const exitCode = ended.code;
  await ws.agents.reportActivity("idle", `${command.host}:exit`, `${task.id}: exit ${exitCode ?? "none"}`);
  await ws.log.record(
    "work.run",
    `${ws.identity} ran ${command.host} on ${task.id}: exit ${exitCode ?? "none"}`,
    {
      task: task.id,
      host: command.host,
      exitCode,
      ...facts,
      ...(broker.approvals.length ? { approvals: broker.approvals } : {}),
      ...(broker.timedOut ? { stoppedBy: broker.timedOut } : {}),
    },
  );
  if (ended.error)
    return finish(
      ws,
      task,
      token,
      { failed: `could not start ${command.argv[0]}: ${ended.error.message}` },
      exitCode,
      facts,
    );
  if (lost) return { task: task.id, status: "lost", exitCode, facts };
  if (options.signal.aborted) {
    await ws.tasks.release(task.id, { token }).catch(() => undefined);
    return { task: task.id, status: "left", exitCode, facts };
  }
  if (exitCode === 0 && !facts.failed)
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
    : timedOut
      ? `was stopped after --timeout ${Math.round(options.timeoutMs! / 1000)}s`
      : exitCode === null
        ? `was ended by ${ended.signal ?? "a signal"}`
        : `exited ${exitCode}${facts.failed ? " (the host reported an error)" : ""}`;
  return finish(
    ws,
    task,
    token,
    // The reason's limit is TAIL_CHARS in all: the tail gives up what the explanation takes.
    { failed: `the agent ${why}: ${output.trim().slice(-(TAIL_CHARS - why.length - 20)) || "no output"}` },
    exitCode,
    facts,
  );
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
