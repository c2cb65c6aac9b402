import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Task } from "../../domain/types.js";
import type { Workspace } from "../../services/workspace.js";
import { findTree } from "../../workspace/find-root.js";
import { isStopRequest } from "../team/stop-request.js";

/**
 * baton's simulated agent: what `baton up --agent sim` runs in each window, so
 * a team can be started, watched, recovered and merged with no AI service. It
 * follows the protocol a real agent is told to follow: join, finish what it
 * still holds (after a restart), take the next ready task, lease the file it
 * will edit, edit and commit it in its own worktree, complete the task with a
 * report, and wait for the next one (its inbox wakes it). A stop request
 * (baton stop, stop_agent) is honoured as a real agent is told to: it finishes
 * the task in hand, then leaves the team and exits. Ctrl-C (what `baton down`
 * sends it) leaves the team too, which releases whatever it holds.
 */
export interface SimOptions {
  /** Exit with status 1 after completing this many tasks, every run (BATON_SIM_CRASH_AFTER). */
  crashAfter?: number;
  /** Exit with status 1 right after its first claim, holding the task, once per worktree (BATON_SIM_CRASH_ONCE=NAME,...). */
  crashOnce?: boolean;
  /**
   * Go silent right after its first claim, holding the task, once per worktree: no heartbeat, no
   * output, the process alive (BATON_SIM_HANG_ONCE=NAME,...), as a host stuck on a call does.
   */
  hangOnce?: boolean;
  /** Ask the humans this before the first task and wait for the answer (BATON_SIM_ASK). */
  ask?: string;
  /** Pay no heed to a stop request, so baton has to end it (BATON_SIM_IGNORE_STOP). */
  ignoreStop?: boolean;
  /** How long one idle wait lasts before looking for work again. */
  idleWaitMs?: number;
  say: (line: string) => void;
  signal: AbortSignal;
}

/**
 * The simulation's knobs from the environment. A value `NAME:VALUE` is for the
 * agent NAME only (`BATON_SIM_ASK="sim-2:Which port?"`), so one team can have
 * one agent that asks and one that crashes; a plain value is for every agent.
 */
export function simKnob(value: string | undefined, me: string): string | undefined {
  if (!value) return undefined;
  const colon = value.indexOf(":");
  if (colon > 0 && /^[A-Za-z0-9][A-Za-z0-9_.@-]*$/.test(value.slice(0, colon)))
    return value.slice(0, colon) === me ? value.slice(colon + 1) || "yes" : undefined;
  return value;
}

export async function runSimAgent(ws: Workspace, options: SimOptions): Promise<number> {
  const { say, signal } = options;
  const me = ws.identity!;
  // Its role as baton up gave it (BATON_ROLE), so role-routed queues and broadcasts reach it.
  await ws.agents.join({ automatic: true, role: process.env.BATON_ROLE || undefined });
  say(`${me}: joined; working in ${ws.paths.treeRoot}`);
  // Restarted: what it still holds comes first, as a real agent resumes its task.
  const held = (await ws.tasks.list({ mine: true })).filter((t) => t.holder === me && t.status === "claimed");
  for (const task of held) {
    say(`${me}: resuming ${task.id}, which I held when I stopped`);
    const { token } = await ws.tasks.claim(task.id);
    await work(ws, task, token ?? undefined, say);
  }
  if (options.ask) {
    const question = await ws.human.ask(options.ask);
    say(`${me}: asked the humans ${question.id}: ${options.ask}`);
    await ws.agents.reportActivity("waiting", "sim:asked", question.id);
    const answered = await ws.human.waitForAnswer(question.id, 10 * 60_000).catch(() => undefined);
    say(`${me}: ${answered?.answer ? `the answer: ${answered.answer}` : "no answer; carrying on"}`);
  }
  const crashMark = join(findTree(ws.paths.treeRoot).gitDir, "baton-sim-crashed");
  let completed = 0;
  let idle = false;
  // Its inbox, read between tasks: the one message it acts on is a stop request.
  const stopAsked = async (waitMs: number) => {
    const inbox = await ws.messages.inbox({ waitMs, ack: true }).catch(() => undefined);
    const request = inbox?.messages.find(isStopRequest);
    if (!request) return false;
    say(
      `${me}: asked to stop by ${request.sender}${options.ignoreStop ? "; ignoring it (BATON_SIM_IGNORE_STOP)" : ""}`,
    );
    return !options.ignoreStop;
  };
  while (!signal.aborted) {
    if (await stopAsked(0)) break;
    const { task, token } = await ws.tasks.claim();
    if (!task) {
      if (!idle) await ws.agents.reportActivity("idle", "sim:no-ready-task");
      idle = true;
      await ws.agents.heartbeat();
      // Woken at once by a message, else it looks again for a new task.
      if (await stopAsked(options.idleWaitMs ?? 2000)) break;
      continue;
    }
    idle = false;
    say(`${me}: took ${task.id} "${task.title}"`);
    if (options.crashOnce && !existsSync(crashMark)) {
      writeFileSync(crashMark, `${task.id}\n`);
      say(`${me}: crashing on purpose while holding ${task.id} (BATON_SIM_CRASH_ONCE)`);
      return 1;
    }
    const hangMark = `${crashMark}-hang`;
    if (options.hangOnce && !existsSync(hangMark)) {
      writeFileSync(hangMark, `${task.id}\n`);
      await ws.agents.reportActivity("working", "sim:claimed", task.id);
      say(`${me}: hanging on purpose while holding ${task.id} (BATON_SIM_HANG_ONCE)`);
      // BATON_SIM_HANG_OUTPUT: silent to baton but still printing, as a host busy on a long call does.
      // A timer either way: with nothing pending Node would end the process (exit 13), not hang.
      const noise = setInterval(() => process.env.BATON_SIM_HANG_OUTPUT && say("."), 300);
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      clearInterval(noise);
      return 1;
    }
    await work(ws, task, token ?? undefined, say);
    completed++;
    if (options.crashAfter !== undefined && completed >= options.crashAfter) {
      say(`${me}: crashing on purpose after ${completed} task(s) (BATON_SIM_CRASH_AFTER)`);
      return 1;
    }
  }
  await ws.agents.leave();
  say(`${me}: left the team`);
  return 0;
}

/** One task, done as the protocol says: lease the file, edit, commit, unlock, complete with a report. */
async function work(
  ws: Workspace,
  task: Task,
  token: number | undefined,
  say: (line: string) => void,
): Promise<void> {
  const me = ws.identity!;
  await ws.agents.reportActivity("working", "sim:claimed", task.id);
  const file = join("sim", `${task.id}.md`);
  await ws.leases.lock([file], { intent: task.id });
  const path = join(ws.paths.treeRoot, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `# ${task.title}\n\nDone by ${me}.\n`);
  commit(ws.paths.treeRoot, file, `${task.id}: ${task.title}`);
  await ws.leases.unlock([file]);
  await ws.tasks.done(task.id, {
    token,
    report: {
      summary: `wrote ${file} (simulated agent)`,
      findings: [],
      recommendations: [],
      filesModified: [],
      filesCreated: [file],
      errors: [],
    },
  });
  say(`${me}: finished ${task.id}, committed ${file}`);
}

/** Commits one file in the agent's tree, as the agent (git needs a name even where the user set none). */
function commit(cwd: string, file: string, message: string): void {
  const name = process.env.BATON_AGENT ?? "baton-sim";
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: "sim@baton.invalid",
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: "sim@baton.invalid",
  };
  execFileSync("git", ["add", "--", file], { cwd, env, stdio: "ignore" });
  execFileSync("git", ["commit", "-q", "-m", message, "--", file], { cwd, env, stdio: "ignore" });
}
