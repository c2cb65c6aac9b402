import type { Command } from "commander";
import { BatonError } from "../../errors.js";
import { type WorkOutcome, workLoop } from "../../orchestrator/work/work-loop.js";
import { openWorkspace } from "../../services/workspace.js";
import { action, durationOption, withRange } from "../context.js";

interface WorkFlags {
  agent: string;
  queue?: string;
  jobs: number;
  untilEmpty?: boolean;
  timeout?: number;
}

function jobs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 16)
    throw new BatonError("usage", `-j ${value}: from 1 to 16 workers`, "e.g. baton work --agent claude -j 2");
  return n;
}

export function registerWorkCommand(program: Command): void {
  program
    .command("work")
    .description("the headless worker loop: claim a task, run an agent on it, complete or fail it; repeat")
    .requiredOption(
      "--agent <host|command>",
      "claude, codex, gemini, pi (structured headless modes), or a command line",
    )
    .option("--queue <queue>", "only this queue's tasks")
    .option("-j, --jobs <n>", "workers side by side, named NAME-1 … NAME-N (1 to 16)", jobs, 1)
    .option("--until-empty", "stop when no task is ready, instead of waiting for the next (CI)")
    .option(
      "--timeout <duration>",
      withRange("stop an agent that runs this long on one task, and fail the task", "ttl"),
      durationOption("--timeout", "ttl"),
    )
    .addHelpText(
      "after",
      `
Each task's agent runs in this folder, headless: claude -p (stream-json), codex
exec --json, gemini -p (stream-json), pi --mode rpc, or your command with the
task's prompt on stdin and in BATON_TASK_PROMPT (BATON_TASK_ID and
BATON_TASK_TOKEN too); each host with its own configured provider and model.
While it runs, the worker heartbeats, so the claim lives as long as the
process; if the claim is lost anyway, the agent is stopped (pi is asked to
abort first, and signalled only if it does not end). Exit 0 completes the task
(with the agent's last message as its result); any other exit, or an error the
host reports, fails it with the host's error or the output's tail; an agent
that completed or failed the task itself through baton keeps its word. Each
run is logged as work.run with the session id, cost or tokens the host
reported. Ctrl-C stops the agents, releases their tasks and ends.

Claude Code asks before it uses a tool that needs permission: a rule in
"permissions" of .baton/config.json answers at once; any other request becomes
an approval (baton approvals --open) that a human approves or rejects. One left
undecided for permissions.approval_timeout (default 10m) is denied and the run
stopped; an approval whose run has ended expires and can no longer be decided.`,
    )
    .action(
      action(async (ctx, o: WorkFlags) => {
        const base = ctx.globals.as ?? process.env.BATON_AGENT ?? "worker";
        const stop = new AbortController();
        process.once("SIGINT", () => stop.abort());
        process.once("SIGTERM", () => stop.abort());
        const names = o.jobs === 1 ? [base] : Array.from({ length: o.jobs }, (_, i) => `${base}-${i + 1}`);
        const runs = names.map(async (name) => {
          const ws = await openWorkspace({
            as: name,
            store: ctx.globals.store ?? (process.env.BATON_STORE || undefined),
          });
          try {
            return await workLoop(ws, {
              agent: o.agent,
              queue: o.queue,
              untilEmpty: o.untilEmpty === true,
              timeoutMs: o.timeout,
              signal: stop.signal,
              say: (line) => ctx.out.note(line),
            });
          } finally {
            await ws.close();
          }
        });
        const outcomes: WorkOutcome[] = (await Promise.all(runs)).flat();
        const failed = outcomes.filter((o) => o.status !== "done");
        ctx.out.result({ outcomes }, () =>
          outcomes.length === 0
            ? "no task was ready"
            : `${outcomes.length - failed.length} of ${outcomes.length} task(s) done${failed.length ? `; not done: ${failed.map((f) => `${f.task} (${f.status})`).join(", ")}` : ""}`,
        );
        // Stopped by Ctrl-C: the shell's convention (128 + SIGINT), whatever the tasks did.
        if (stop.signal.aborted) return 130;
        return failed.length ? 1 : 0;
      }),
    );
}
