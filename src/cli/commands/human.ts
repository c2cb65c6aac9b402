import type { Command } from "commander";
import { isConfiguredHuman } from "../../domain/config.js";
import { TEXTS } from "../../domain/limits.js";
import { readRepositoryText } from "../../workspace/report-file.js";
import { confirm, declined } from "../confirm.js";
import { action, type CliContext, collect, durationOption, withRange } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { approvalLine, questionLine } from "../format.js";
import { waitingNote } from "../waiting-note.js";

/** A plan is a file of the repository, at most TEXTS.plan.max characters (3 bytes each at most in UTF-8). */
async function readPlan(ctx: CliContext, path: string): Promise<string> {
  return readRepositoryText(
    path,
    (await ctx.workspace()).paths,
    "the plan",
    TEXTS.plan.max * 3,
    TEXTS.plan.advice,
  );
}

/** Rejected or expired → 3; waited and still undecided → 5 (it stays open); otherwise 0. */
function exitAfter(waited: boolean, open: boolean, rejected = false): number {
  if (rejected) return EXIT.conflict;
  return waited && open ? EXIT.timeout : EXIT.ok;
}

/**
 * Asks before a decision, showing what is decided. Only a decision that would go through is
 * asked about: a decided request or a caller who is not a human gets the decision's own error,
 * not a question whose answer could only be refused.
 */
async function confirmDecision(
  ctx: CliContext,
  verb: "approve" | "reject",
  id: string,
  yes: boolean | undefined,
): Promise<boolean> {
  const ws = await ctx.workspace();
  const request = await ws.human.approval(id);
  const me = ws.identity;
  if (request.status !== "pending" || me === undefined || !isConfiguredHuman(ws.config, me)) return true;
  const plan = request.plan ? request.plan.trimEnd().split("\n") : [];
  return confirm(ctx, {
    command: verb,
    yes,
    details: [
      `${request.id} from ${request.requestedBy}${request.task ? ` for ${request.task}` : ""}: ${request.action}`,
      ...(plan.length
        ? [`plan (${plan.length} lines, first ones below; all: baton approval show ${request.id}):`]
        : []),
      ...plan.slice(0, 5).map((line) => `  ${line}`),
    ],
    question: `${verb === "approve" ? "Approve" : "Reject"} ${request.id}?`,
  });
}

/** Asks before an answer that would go through (an open question, a configured human), showing both. */
async function confirmAnswer(
  ctx: CliContext,
  id: string,
  text: string,
  yes: boolean | undefined,
): Promise<boolean> {
  const ws = await ctx.workspace();
  const question = await ws.human.question(id);
  const me = ws.identity;
  if (question.status !== "open" || me === undefined || !isConfiguredHuman(ws.config, me)) return true;
  return confirm(ctx, {
    command: "answer",
    yes,
    details: [`${question.id} from ${question.askedBy}: ${question.text}`, `your answer: ${text}`],
    question: `Answer ${question.id}?`,
  });
}

const WAIT_HELP = withRange(
  "block until it is answered, up to this long (exit 5 if not; it stays open)",
  "wait",
);
const DECISION_WAIT_HELP = withRange("block until decided, up to this long (exit 5 if undecided)", "wait");

export function registerHumanCommands(program: Command): void {
  program
    .command("ask")
    .description("ask the human a question; with --wait, block until the answer comes")
    .argument("<text>")
    .option("--options <list>", "the choices, comma-separated (the human may answer by number)", collect, [])
    .option("--task <id>", "the task it is about")
    .option("--wait <duration>", WAIT_HELP, durationOption("--wait", "wait"))
    .action(
      action(async (ctx, text: string, o: { options: string[]; task?: string; wait?: number }) => {
        const ws = await ctx.workspace();
        let question = await ws.human.ask(text, { options: o.options, task: o.task });
        if (o.wait !== undefined && !ctx.globals.dryRun)
          question = await ws.human.waitForAnswer(
            question.id,
            o.wait,
            waitingNote(ctx, `asked ${question.id}`, o.wait),
          );
        ctx.out.result({ question }, () => questionLine(question, ctx.out.style));
        return exitAfter(o.wait !== undefined, question.status === "open", question.status === "expired");
      }),
    );

  program
    .command("questions")
    .description("questions to the human (--open: only unanswered)")
    .option("--open", "only those still waiting for an answer")
    .action(
      action(async (ctx, o: { open?: boolean }) => {
        const questions = await (await ctx.workspace()).human.questions(o);
        ctx.out.result({ questions }, () =>
          questions.length
            ? questions.map((q) => questionLine(q, ctx.out.style))
            : ctx.out.style.dim("no questions"),
        );
      }),
    );

  program
    .command("question")
    .description("one question; with --wait, block until it is answered")
    .argument("<id>", "Q-ID")
    .option("--wait <duration>", WAIT_HELP, durationOption("--wait", "wait"))
    .action(
      action(async (ctx, id: string, o: { wait?: number }) => {
        const ws = await ctx.workspace();
        const question =
          o.wait !== undefined
            ? await ws.human.waitForAnswer(id, o.wait, waitingNote(ctx, `${id} is open`, o.wait))
            : await ws.human.question(id);
        ctx.out.result({ question }, () => questionLine(question, ctx.out.style));
        return exitAfter(o.wait !== undefined, question.status === "open", question.status === "expired");
      }),
    );

  program
    .command("answer")
    .description(
      "answer a question (by an option's number or text, or in your own words; humans only); asks first on a terminal",
    )
    .argument("<id>", "Q-ID")
    .argument("<text>")
    .option("--yes", "answer without asking (needed where nobody can answer: scripts, --json)")
    .action(
      action(async (ctx, id: string, text: string, o: { yes?: boolean }) => {
        if (!(await confirmAnswer(ctx, id, text, o.yes))) return declined(ctx);
        const question = await (await ctx.workspace()).human.answer(id, text);
        ctx.out.result({ question }, () => questionLine(question, ctx.out.style));
      }),
    );

  const approval = program.command("approval").description("ask a human to approve an action or a plan");
  approval
    .command("request")
    .description("request approval; with --wait, block until a human decides (exit 3 if rejected)")
    .argument("<action>", "what you want to do")
    .option("--plan <file>", "a plan for the human to read")
    .option(
      "--task <id>",
      "the task it is for (a plan-required task cannot be done before its plan is approved)",
    )
    .option("--wait <duration>", DECISION_WAIT_HELP, durationOption("--wait", "wait"))
    .action(
      action(async (ctx, what: string, o: { plan?: string; task?: string; wait?: number }) => {
        const ws = await ctx.workspace();
        let request = await ws.human.requestApproval(what, {
          plan: o.plan ? await readPlan(ctx, o.plan) : undefined,
          task: o.task,
        });
        if (o.wait !== undefined && !ctx.globals.dryRun)
          request = await ws.human.waitForDecision(
            request.id,
            o.wait,
            waitingNote(ctx, `requested ${request.id}`, o.wait),
          );
        ctx.out.result({ approval: request }, () => approvalLine(request, ctx.out.style));
        return exitAfter(
          o.wait !== undefined,
          request.status === "pending",
          ["rejected", "expired"].includes(request.status),
        );
      }),
    );
  approval
    .command("show")
    .description("one approval and its plan; with --wait, block until decided")
    .argument("<id>", "A-ID")
    .option("--wait <duration>", DECISION_WAIT_HELP, durationOption("--wait", "wait"))
    .action(
      action(async (ctx, id: string, o: { wait?: number }) => {
        const ws = await ctx.workspace();
        const shown =
          o.wait !== undefined
            ? await ws.human.waitForDecision(id, o.wait, waitingNote(ctx, `${id} is pending`, o.wait))
            : await ws.human.approval(id);
        ctx.out.result({ approval: shown }, () => [
          approvalLine(shown, ctx.out.style),
          ...(shown.plan ? ["", shown.plan] : []),
        ]);
        return exitAfter(
          o.wait !== undefined,
          shown.status === "pending",
          ["rejected", "expired"].includes(shown.status),
        );
      }),
    );

  program
    .command("approvals")
    .description("approval requests (--open: only those waiting for a decision)")
    .option("--open", "only pending ones")
    .action(
      action(async (ctx, o: { open?: boolean }) => {
        const approvals = await (await ctx.workspace()).human.approvals(o);
        ctx.out.result({ approvals }, () =>
          approvals.length
            ? approvals.map((a) => approvalLine(a, ctx.out.style))
            : ctx.out.style.dim("no approval requests"),
        );
      }),
    );

  program
    .command("approve")
    .description("approve a request (humans only); shows it and asks first on a terminal")
    .argument("<id>", "A-ID")
    .option("--note <text>", "a note for the requester")
    .option("--yes", "decide without asking (needed where nobody can answer: scripts, --json)")
    .action(
      action(async (ctx, id: string, o: { note?: string; yes?: boolean }) => {
        if (!(await confirmDecision(ctx, "approve", id, o.yes))) return declined(ctx);
        const decided = await (await ctx.workspace()).human.decide(id, true, o.note);
        ctx.out.result({ approval: decided }, () => approvalLine(decided, ctx.out.style));
      }),
    );

  program
    .command("reject")
    .description("reject a request (humans only); shows it and asks first on a terminal")
    .argument("<id>", "A-ID")
    .requiredOption("--reason <text>", "why, so the agent can change course")
    .option("--yes", "decide without asking (needed where nobody can answer: scripts, --json)")
    .action(
      action(async (ctx, id: string, o: { reason: string; yes?: boolean }) => {
        if (!(await confirmDecision(ctx, "reject", id, o.yes))) return declined(ctx);
        const decided = await (await ctx.workspace()).human.decide(id, false, o.reason);
        ctx.out.result({ approval: decided }, () => approvalLine(decided, ctx.out.style));
      }),
    );
}
