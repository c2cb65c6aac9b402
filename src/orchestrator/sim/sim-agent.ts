import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Workspace } from "../../services/workspace.js";

/**
 * baton's simulated agent: what `baton up --agent sim` runs in each window, so
 * a team can be started, watched, recovered and merged with no AI service. It
 * follows the protocol a real agent is told to follow: join, take the next
 * ready task, lease the file it will edit, edit and commit it in its own
 * worktree, complete the task with a report, and wait for the next one (its
 * inbox wakes it). Ctrl-C (what `baton down` sends it) leaves the team, which
 * releases whatever it holds.
 */
export interface SimOptions {
  /** Exit with status 1 after completing this many tasks (BATON_SIM_CRASH_AFTER), to show recovery. */
  crashAfter?: number;
  /** Ask the humans one question before the first task (BATON_SIM_ASK), to show the inbox. */
  ask?: string;
  /** How long one idle wait lasts before looking for work again. */
  idleWaitMs?: number;
  say: (line: string) => void;
  signal: AbortSignal;
}

export async function runSimAgent(ws: Workspace, options: SimOptions): Promise<number> {
  const { say, signal } = options;
  const me = ws.identity!;
  await ws.agents.join({ automatic: true });
  say(`${me}: joined; working in ${ws.paths.treeRoot}`);
  if (options.ask) {
    const question = await ws.human.ask(options.ask);
    say(`${me}: asked the humans ${question.id}: ${options.ask}`);
  }
  let completed = 0;
  let idle = false;
  while (!signal.aborted) {
    const { task, token } = await ws.tasks.claim();
    if (!task) {
      if (!idle) await ws.agents.reportActivity("idle", "sim:no-ready-task");
      idle = true;
      await ws.agents.heartbeat();
      // Woken at once by a message or the next commit (a new task), else it looks again.
      await ws.messages.inbox({ waitMs: options.idleWaitMs ?? 2000, ack: true }).catch(() => undefined);
      continue;
    }
    idle = false;
    await ws.agents.reportActivity("working", "sim:claimed", task.id);
    say(`${me}: took ${task.id} "${task.title}"`);
    const file = join("sim", `${task.id}.md`);
    await ws.leases.lock([file], { intent: task.id });
    const path = join(ws.paths.treeRoot, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `# ${task.title}\n\nDone by ${me}.\n`);
    commit(ws.paths.treeRoot, file, `${task.id}: ${task.title}`);
    await ws.leases.unlock([file]);
    await ws.tasks.done(task.id, {
      token: token ?? undefined,
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

/** Commits one file in the agent's tree, as the agent (git needs a name even where the user set none). */
function commit(cwd: string, file: string, message: string): void {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: process.env.BATON_AGENT ?? "baton-sim",
    GIT_AUTHOR_EMAIL: "sim@baton.invalid",
    GIT_COMMITTER_NAME: process.env.BATON_AGENT ?? "baton-sim",
    GIT_COMMITTER_EMAIL: "sim@baton.invalid",
  };
  execFileSync("git", ["add", "--", file], { cwd, env, stdio: "ignore" });
  execFileSync("git", ["commit", "-q", "-m", message, "--", file], { cwd, env, stdio: "ignore" });
}
